using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting.Com;

namespace NPlug.Buffers.Hosting;

/// <summary>
/// One plugin instance driven like a DAW drives it (SDK PlugProvider order): create and initialize the component,
/// find or create the controller, connect both through host proxies, copy the component state to the controller,
/// set the component handler; then bus setup, <c>setupProcessing</c>, <c>setActive</c>, <c>setProcessing</c> and
/// <c>process</c> with host-owned buffers. <see cref="Process"/> is allocation-free.
/// </summary>
public sealed unsafe class HostedPlugin : IDisposable
{
    private readonly PluginModule _module;
    private void* _component;   // IComponent*, owned
    private void* _processor;   // IAudioProcessor*, owned
    private void* _controller;  // IEditController*, owned (may be null)
    private HostConnectionProxy? _componentProxy;
    private HostConnectionProxy? _controllerProxy;
    private readonly HostApplication _context;
    private ProcessContext* _processContext;
    private ProcessSetup _setup;
    private bool _hasSetup;
    private bool _disposed;
    private int _pendingRestart;

    private HostedPlugin(PluginModule module, PluginClassInfo processorClass, HostApplication context)
    {
        _module = module;
        Class = processorClass;
        _context = context;
        _context.AddRef();
        Handler = new HostComponentHandler();
        InputParameterChanges = new HostParameterChanges();
        OutputParameterChanges = new HostParameterChanges();
        InputEvents = new HostEventList();
        OutputEvents = new HostEventList();
        Handler.RestartRequested += flags => Interlocked.Or(ref _pendingRestart, flags);
        _processContext = (ProcessContext*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(ProcessContext));
        Transport = new TransportState();
    }

    /// <summary>
    /// The musical transport the host reports in <c>ProcessContext</c> when <see cref="ProcessInterfaces.ProcessContext"/> is
    /// on: playing state, tempo, time signature; the sample position advances by every processed block.
    /// </summary>
    public TransportState Transport { get; }

    /// <summary>Mutable transport settings (UI thread); read by <see cref="Process"/> without allocation.</summary>
    public sealed class TransportState
    {
        public bool Playing { get; set; } = true;
        public double Tempo { get; set; } = 120;
        public int TimeSigNumerator { get; set; } = 4;
        public int TimeSigDenominator { get; set; } = 4;
        /// <summary>Project position of the next block, in samples.</summary>
        public long PositionSamples { get; set; }
    }

    public PluginClassInfo Class { get; }

    public bool IsSingleComponent { get; private set; }

    public bool HasController => _controller != null;

    public bool IsConnected => _componentProxy != null;

    public HostComponentHandler Handler { get; }

    public HostParameterChanges InputParameterChanges { get; }

    public HostParameterChanges OutputParameterChanges { get; }

    public HostEventList InputEvents { get; }

    public HostEventList OutputEvents { get; }

    /// <summary>Which interface pointers <see cref="Process"/> puts into <c>ProcessData</c>.</summary>
    public ProcessInterfaces Interfaces { get; set; } = ProcessInterfaces.All;

    /// <summary>Buffers sized for the current buses; created by <see cref="SetupProcessing"/> / <see cref="SetActive"/>.</summary>
    public HostProcessBuffers? Buffers { get; private set; }

    public bool IsActive { get; private set; }

    public bool IsProcessing { get; private set; }

    public ProcessSetup CurrentSetup => _setup;

    /// <summary>The IComponent pointer (borrowed).</summary>
    public nint Component => (nint)_component;

    /// <summary>The IAudioProcessor pointer (borrowed).</summary>
    public nint Processor => (nint)_processor;

    /// <summary>The IEditController pointer (borrowed), or 0.</summary>
    public nint Controller => (nint)_controller;

    internal static HostedPlugin Create(PluginModule module, PluginClassInfo processorClass, HostApplication context)
    {
        var plugin = new HostedPlugin(module, processorClass, context);
        try
        {
            plugin.Instantiate();
            return plugin;
        }
        catch
        {
            plugin.Dispose();
            throw;
        }
    }

    private void Instantiate()
    {
        var component = _module.CreateInstance(Class.Cid, Iids.IComponent, out int r);
        if (component == null) throw new InvalidOperationException($"createInstance(IComponent) failed: {TResult.NameOf(r)}");
        r = Vtbl.Of<IComponentVtbl>(component)->PluginBase.Initialize(component, (void*)_context.Pointer);
        if (r != TResult.ResultOk)
        {
            // SDK rule: a component whose initialize failed is released without terminate.
            Vtbl.Release(component);
            throw new InvalidOperationException($"IComponent::initialize failed: {TResult.NameOf(r)}");
        }
        _component = component;
        _processor = Vtbl.QueryInterface(_component, Iids.IAudioProcessor, out r);
        if (_processor == null) throw new InvalidOperationException($"The component has no IAudioProcessor: {TResult.NameOf(r)}");

        _controller = Vtbl.QueryInterface(_component, Iids.IEditController, out _);
        IsSingleComponent = _controller != null;
        if (!IsSingleComponent) CreateSeparateController();
        if (_controller == null) return;

        if (!IsSingleComponent) Connect();
        SyncComponentStateToController();
        Vtbl.Of<IEditControllerVtbl>(_controller)->SetComponentHandler(_controller, (void*)Handler.Pointer);
    }

    private void CreateSeparateController()
    {
        Tuid cid = default;
        if (Vtbl.Of<IComponentVtbl>(_component)->GetControllerClassId(_component, &cid) != TResult.ResultOk) return;
        var controller = _module.CreateInstance(cid, Iids.IEditController, out _);
        if (controller == null) return;
        if (Vtbl.Of<IEditControllerVtbl>(controller)->PluginBase.Initialize(controller, (void*)_context.Pointer) != TResult.ResultOk)
        {
            Vtbl.Release(controller);
            return;
        }
        _controller = controller;
    }

    /// <summary>Connects component and controller through two host proxies (each side only ever sees a proxy).</summary>
    private void Connect()
    {
        var componentCp = Vtbl.QueryInterface(_component, Iids.IConnectionPoint, out _);
        var controllerCp = Vtbl.QueryInterface(_controller, Iids.IConnectionPoint, out _);
        if (componentCp != null && controllerCp != null)
        {
            _componentProxy = new HostConnectionProxy(componentCp);
            _controllerProxy = new HostConnectionProxy(controllerCp);
            _componentProxy.ConnectTo(controllerCp);
            _controllerProxy.ConnectTo(componentCp);
        }
        Vtbl.Release(componentCp);
        Vtbl.Release(controllerCp);
    }

    /// <summary>component.getState → controller.setComponentState, as hosts do after load.</summary>
    public int SyncComponentStateToController()
    {
        if (_controller == null) return TResult.ResultFalse;
        var state = GetComponentState(out int r);
        if (r != TResult.ResultOk) return r;
        return SetControllerComponentState(state);
    }

    // ---------------------------------------------------------------- lifecycle (raw, for conformance tests)

    public int TerminateComponent() => Vtbl.Of<IComponentVtbl>(_component)->PluginBase.Terminate(_component);

    public int InitializeComponent() => Vtbl.Of<IComponentVtbl>(_component)->PluginBase.Initialize(_component, (void*)_context.Pointer);

    public int SetIoMode(int mode) => Vtbl.Of<IComponentVtbl>(_component)->SetIoMode(_component, mode);

    // ---------------------------------------------------------------- buses

    public int GetBusCount(int mediaType, int direction) => Vtbl.Of<IComponentVtbl>(_component)->GetBusCount(_component, mediaType, direction);

    public int GetBusInfo(int mediaType, int direction, int index, out BusInfo info)
    {
        BusInfo i = default;
        int r = Vtbl.Of<IComponentVtbl>(_component)->GetBusInfo(_component, mediaType, direction, index, &i);
        info = i;
        return r;
    }

    public IReadOnlyList<BusDescription> GetBuses(int mediaType, int direction)
    {
        int n = GetBusCount(mediaType, direction);
        var list = new List<BusDescription>(Math.Max(0, n));
        for (int i = 0; i < n; i++)
            if (GetBusInfo(mediaType, direction, i, out var info) == TResult.ResultOk)
                list.Add(BusDescription.From(info, i));
        return list;
    }

    public int ActivateBus(int mediaType, int direction, int index, bool state)
        => Vtbl.Of<IComponentVtbl>(_component)->ActivateBus(_component, mediaType, direction, index, state ? (byte)1 : (byte)0);

    /// <summary>Activates every audio and event bus flagged kDefaultActive (what most hosts do after loading).</summary>
    public void ActivateDefaultBuses()
    {
        for (int media = 0; media < MediaTypes.NumMediaTypes; media++)
            for (int dir = 0; dir <= 1; dir++)
                foreach (var bus in GetBuses(media, dir))
                    if (bus.IsDefaultActive) ActivateBus(media, dir, bus.Index, true);
    }

    public int SetBusArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        // Some plugins index the arrays even when the count is 0, so never pass a null pointer.
        Span<ulong> dummy = stackalloc ulong[1];
        fixed (ulong* i = inputs.Length == 0 ? dummy : inputs)
        fixed (ulong* o = outputs.Length == 0 ? dummy : outputs)
            return Vtbl.Of<IAudioProcessorVtbl>(_processor)->SetBusArrangements(_processor, i, inputs.Length, o, outputs.Length);
    }

    public int GetBusArrangement(int direction, int index, out ulong arrangement)
    {
        ulong a = 0;
        int r = Vtbl.Of<IAudioProcessorVtbl>(_processor)->GetBusArrangement(_processor, direction, index, &a);
        arrangement = a;
        return r;
    }

    public int CanProcessSampleSize(int symbolicSampleSize) => Vtbl.Of<IAudioProcessorVtbl>(_processor)->CanProcessSampleSize(_processor, symbolicSampleSize);

    public uint LatencySamples => Vtbl.Of<IAudioProcessorVtbl>(_processor)->GetLatencySamples(_processor);

    public uint TailSamples => Vtbl.Of<IAudioProcessorVtbl>(_processor)->GetTailSamples(_processor);

    /// <summary>IProcessContextRequirements flags, or null when the processor does not implement it.</summary>
    /// <remarks>Queried on the IAudioProcessor pointer, as the validator and SDK hosts do (some plugins, e.g. DPF's,
    /// answer it only there).</remarks>
    public uint? ProcessContextRequirements
    {
        get
        {
            var p = Vtbl.QueryInterface(_processor, Iids.IProcessContextRequirements, out _);
            if (p == null) return null;
            uint flags = Vtbl.Of<IProcessContextRequirementsVtbl>(p)->GetProcessContextRequirements(p);
            Vtbl.Release(p);
            return flags;
        }
    }

    // ---------------------------------------------------------------- processing state

    public int SetupProcessing(double sampleRate, int maxSamplesPerBlock, int symbolicSampleSize = SymbolicSampleSizes.Sample32,
        int processMode = ProcessModes.Realtime)
    {
        var setup = new ProcessSetup
        {
            ProcessMode = processMode,
            SymbolicSampleSize = symbolicSampleSize,
            MaxSamplesPerBlock = maxSamplesPerBlock,
            SampleRate = sampleRate,
        };
        int r = Vtbl.Of<IAudioProcessorVtbl>(_processor)->SetupProcessing(_processor, &setup);
        _setup = setup;
        _hasSetup = true;
        EnsureBuffers();
        return r;
    }

    public int SetActive(bool state)
    {
        if (state) EnsureBuffers();
        int r = Vtbl.Of<IComponentVtbl>(_component)->SetActive(_component, state ? (byte)1 : (byte)0);
        if (r == TResult.ResultOk) IsActive = state;
        else if (!state) IsActive = false;
        return r;
    }

    public int SetProcessing(bool state)
    {
        int r = Vtbl.Of<IAudioProcessorVtbl>(_processor)->SetProcessing(_processor, state ? (byte)1 : (byte)0);
        IsProcessing = state && (r == TResult.ResultOk || r == TResult.NotImplemented);
        return r;
    }

    /// <summary>
    /// The usual start: activate default buses, setupProcessing, setActive(true), setProcessing(true). Throws when
    /// setupProcessing or setActive fails; setProcessing may answer kNotImplemented (the SDK tolerates that).
    /// </summary>
    public void StartProcessing(double sampleRate, int maxSamplesPerBlock, int symbolicSampleSize = SymbolicSampleSizes.Sample32,
        int processMode = ProcessModes.Realtime, bool activateDefaultBuses = true)
    {
        if (activateDefaultBuses) ActivateDefaultBuses();
        int r = SetupProcessing(sampleRate, maxSamplesPerBlock, symbolicSampleSize, processMode);
        if (r != TResult.ResultOk) throw new InvalidOperationException($"setupProcessing failed: {TResult.NameOf(r)}");
        r = SetActive(true);
        if (r != TResult.ResultOk) throw new InvalidOperationException($"setActive(true) failed: {TResult.NameOf(r)}");
        SetProcessing(true);
    }

    /// <summary>setProcessing(false) then setActive(false), each only if needed.</summary>
    public void StopProcessing()
    {
        if (IsProcessing) SetProcessing(false);
        if (IsActive) SetActive(false);
    }

    /// <summary>restartComponent flags the controller raised since the last <see cref="ApplyPendingRestart"/>.</summary>
    public int PendingRestartFlags => Volatile.Read(ref _pendingRestart);

    /// <summary>
    /// Does what a DAW does for the pending restart request (UI thread): for kLatencyChanged, kIoChanged or
    /// kReloadComponent while active, setProcessing(false) → setActive(false) → setupProcessing(same) → setActive(true)
    /// → setProcessing(true), so the new latency or bus layout takes effect (buffers are re-sized). Returns the flags
    /// handled.
    /// </summary>
    public int ApplyPendingRestart()
    {
        int flags = Interlocked.Exchange(ref _pendingRestart, 0);
        const int needsReactivation = RestartFlags.LatencyChanged | RestartFlags.IoChanged | RestartFlags.ReloadComponent;
        if ((flags & needsReactivation) == 0 || !IsActive) return flags;
        bool wasProcessing = IsProcessing;
        StopProcessing();
        int r = SetupProcessing(_setup.SampleRate, _setup.MaxSamplesPerBlock, _setup.SymbolicSampleSize, _setup.ProcessMode);
        if (r != TResult.ResultOk) throw new InvalidOperationException($"setupProcessing after restart failed: {TResult.NameOf(r)}");
        r = SetActive(true);
        if (r != TResult.ResultOk) throw new InvalidOperationException($"setActive(true) after restart failed: {TResult.NameOf(r)}");
        if (wasProcessing) SetProcessing(true);
        return flags;
    }

    /// <summary>(Re)creates the buffers when the audio bus channel counts or the block size changed.</summary>
    private void EnsureBuffers()
    {
        if (!_hasSetup) return;
        var ins = ChannelCounts(BusDirections.Input);
        var outs = ChannelCounts(BusDirections.Output);
        var b = Buffers;
        if (b != null && b.MaxSamplesPerBlock == Math.Max(1, _setup.MaxSamplesPerBlock) && SameCounts(b, ins, outs)) return;
        b?.Dispose();
        Buffers = new HostProcessBuffers(ins, outs, Math.Max(1, _setup.MaxSamplesPerBlock));
    }

    private int[] ChannelCounts(int direction)
    {
        int n = Math.Max(0, GetBusCount(MediaTypes.Audio, direction));
        var counts = new int[n];
        for (int i = 0; i < n; i++)
            counts[i] = GetBusInfo(MediaTypes.Audio, direction, i, out var info) == TResult.ResultOk ? Math.Max(0, info.ChannelCount) : 0;
        return counts;
    }

    private static bool SameCounts(HostProcessBuffers b, int[] ins, int[] outs)
    {
        if (b.InputBusCount != ins.Length || b.OutputBusCount != outs.Length) return false;
        for (int i = 0; i < ins.Length; i++) if (b.InputChannelCount(i) != ins[i]) return false;
        for (int i = 0; i < outs.Length; i++) if (b.OutputChannelCount(i) != outs[i]) return false;
        return true;
    }

    // ---------------------------------------------------------------- process

    /// <summary>
    /// One <c>process</c> call over <see cref="Buffers"/> with <paramref name="numSamples"/> samples at the set-up sample
    /// size. Input parameter changes and events queued before the call are sent, then cleared; output changes and
    /// events are cleared before the call and readable after it. Allocation-free.
    /// </summary>
    public int Process(int numSamples)
    {
        var buffers = Buffers ?? throw new InvalidOperationException("Call SetupProcessing before Process.");
        OutputParameterChanges.Clear();
        OutputEvents.Clear();
        buffers.Prepare(numSamples, _setup.SymbolicSampleSize, _setup.ProcessMode);
        int r = ProcessRaw(buffers.Data);
        InputParameterChanges.Clear();
        InputEvents.Clear();
        return r;
    }

    /// <summary>Calls <c>process</c> on caller-prepared data; the interface pointers are filled per <see cref="Interfaces"/>.</summary>
    public int ProcessRaw(ProcessData* data)
    {
        var f = Interfaces;
        data->InputParameterChanges = (f & ProcessInterfaces.InputParameterChanges) != 0 ? (void*)InputParameterChanges.Pointer : null;
        data->OutputParameterChanges = (f & ProcessInterfaces.OutputParameterChanges) != 0 ? (void*)OutputParameterChanges.Pointer : null;
        data->InputEvents = (f & ProcessInterfaces.InputEvents) != 0 ? (void*)InputEvents.Pointer : null;
        data->OutputEvents = (f & ProcessInterfaces.OutputEvents) != 0 ? (void*)OutputEvents.Pointer : null;
        data->ProcessContext = (f & ProcessInterfaces.ProcessContext) != 0 ? FillContext() : null;
        int r = Vtbl.Of<IAudioProcessorVtbl>(_processor)->Process(_processor, data);
        if (data->NumSamples > 0 && Transport.Playing) Transport.PositionSamples += data->NumSamples;
        return r;
    }

    private ProcessContext* FillContext()
    {
        var c = _processContext;
        var t = Transport;
        double rate = _setup.SampleRate > 0 ? _setup.SampleRate : 44100;
        c->State = ProcessContextState.TempoValid | ProcessContextState.TimeSigValid | ProcessContextState.ProjectTimeMusicValid
            | ProcessContextState.ContTimeValid | ProcessContextState.BarPositionValid | (t.Playing ? ProcessContextState.Playing : 0);
        c->SampleRate = rate;
        c->ProjectTimeSamples = t.PositionSamples;
        c->ContinousTimeSamples = t.PositionSamples;
        c->Tempo = t.Tempo;
        c->TimeSigNumerator = t.TimeSigNumerator;
        c->TimeSigDenominator = t.TimeSigDenominator;
        c->ProjectTimeMusic = t.PositionSamples / rate * t.Tempo / 60.0;
        double quartersPerBar = t.TimeSigNumerator * 4.0 / Math.Max(1, t.TimeSigDenominator);
        c->BarPositionMusic = Math.Floor(c->ProjectTimeMusic / quartersPerBar) * quartersPerBar;
        return c;
    }

    /// <summary>One of the validator's zero-length parameter flushes (see <see cref="FlushVariant"/>).</summary>
    /// <param name="value">When given, the parameter queue carries this value at offset 0 instead of no point.</param>
    public int Flush(FlushVariant variant, uint parameterId = 0, double? value = null)
    {
        var buffers = Buffers ?? throw new InvalidOperationException("Call SetupProcessing before Flush.");
        InputParameterChanges.Clear();
        if (variant != FlushVariant.NoBuffersNoChanges)
        {
            var queue = InputParameterChanges.GetOrAdd(parameterId, out _);
            if (value is double v) queue?.AddPoint(0, v);
        }
        buffers.Prepare(0, _setup.SymbolicSampleSize, _setup.ProcessMode);
        var data = buffers.Data;
        data->NumInputs = 0;
        data->NumOutputs = 0;
        if (variant == FlushVariant.ZeroChannels)
        {
            // Arrays stay non-null; bus 0 of each direction reports 0 channels.
            if (buffers.InputBusCount > 0) buffers.InputBuses[0].NumChannels = 0;
            if (buffers.OutputBusCount > 0) buffers.OutputBuses[0].NumChannels = 0;
            data->Inputs = buffers.InputBuses;
            data->Outputs = buffers.OutputBuses;
        }
        else
        {
            data->Inputs = null;
            data->Outputs = null;
        }
        var saved = Interfaces;
        Interfaces = saved | ProcessInterfaces.InputParameterChanges;
        int r = ProcessRaw(data);
        Interfaces = saved;
        InputParameterChanges.Clear();
        return r;
    }

    // ---------------------------------------------------------------- state

    public byte[] GetComponentState(out int result) => SaveState(_component, Vtbl.Of<IComponentVtbl>(_component)->GetState, out result);

    public byte[] GetComponentState() => GetComponentState(out _);

    public int SetComponentState(ReadOnlySpan<byte> state) => LoadState(_component, Vtbl.Of<IComponentVtbl>(_component)->SetState, state);

    public int SetControllerComponentState(ReadOnlySpan<byte> state) =>
        _controller == null ? TResult.ResultFalse : LoadState(_controller, Vtbl.Of<IEditControllerVtbl>(_controller)->SetComponentState, state);

    public byte[] GetControllerState(out int result)
    {
        result = TResult.ResultFalse;
        return _controller == null ? [] : SaveState(_controller, Vtbl.Of<IEditControllerVtbl>(_controller)->GetState, out result);
    }

    public int SetControllerState(ReadOnlySpan<byte> state) =>
        _controller == null ? TResult.ResultFalse : LoadState(_controller, Vtbl.Of<IEditControllerVtbl>(_controller)->SetState, state);

    /// <summary>Calls a getState slot (component or controller) with a fresh host stream; returns what the plugin wrote.</summary>
    private static byte[] SaveState(void* obj, delegate* unmanaged<void*, void*, int> getState, out int result)
    {
        var stream = new HostBStream();
        try
        {
            result = getState(obj, (void*)stream.Pointer);
            return stream.ToArray();
        }
        finally { stream.Release(); }
    }

    /// <summary>Calls a setState or setComponentState slot with a host stream holding <paramref name="state"/>.</summary>
    private static int LoadState(void* obj, delegate* unmanaged<void*, void*, int> setState, ReadOnlySpan<byte> state)
    {
        var stream = new HostBStream(state);
        try { return setState(obj, (void*)stream.Pointer); }
        finally { stream.Release(); }
    }

    // ---------------------------------------------------------------- parameters (controller)

    public int ParameterCount => _controller == null ? 0 : Vtbl.Of<IEditControllerVtbl>(_controller)->GetParameterCount(_controller);

    public int GetParameterInfo(int index, out ParameterInfo info)
    {
        ParameterInfo p = default;
        int r = _controller == null ? TResult.ResultFalse : Vtbl.Of<IEditControllerVtbl>(_controller)->GetParameterInfo(_controller, index, &p);
        info = p;
        return r;
    }

    public IReadOnlyList<ParameterDescription> GetParameters()
    {
        int n = ParameterCount;
        var list = new List<ParameterDescription>(Math.Max(0, n));
        for (int i = 0; i < n; i++)
            if (GetParameterInfo(i, out var p) == TResult.ResultOk)
                list.Add(ParameterDescription.From(p, i));
        return list;
    }

    public double NormalizedToPlain(uint id, double normalized) => RequireController()->NormalizedParamToPlain(_controller, id, normalized);

    public double PlainToNormalized(uint id, double plain) => RequireController()->PlainParamToNormalized(_controller, id, plain);

    public double GetParamNormalized(uint id) => RequireController()->GetParamNormalized(_controller, id);

    public int SetParamNormalized(uint id, double value) => RequireController()->SetParamNormalized(_controller, id, value);

    /// <summary><c>getParamStringByValue</c>; null when the controller refuses.</summary>
    public string? ValueToString(uint id, double normalized)
    {
        char* text = stackalloc char[String128.Length];
        text[0] = '\0';
        int r = RequireController()->GetParamStringByValue(_controller, id, normalized, text);
        return r == TResult.ResultOk ? AbiStrings.ReadUtf16(new ReadOnlySpan<char>(text, String128.Length)) : null;
    }

    /// <summary><c>getParamValueByString</c>; null when the controller cannot parse the text.</summary>
    public double? StringToValue(uint id, string text)
    {
        char* buffer = stackalloc char[String128.Length];
        AbiStrings.WriteString128(buffer, text);
        double value = 0;
        int r = RequireController()->GetParamValueByString(_controller, id, buffer, &value);
        return r == TResult.ResultOk ? value : null;
    }

    private IEditControllerVtbl* RequireController()
    {
        if (_controller == null) throw new InvalidOperationException("The plugin has no edit controller.");
        return Vtbl.Of<IEditControllerVtbl>(_controller);
    }

    // ---------------------------------------------------------------- teardown

    /// <summary>SDK order: setProcessing(false), setActive(false), disconnect, terminate component then controller, release.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_component != null)
        {
            StopProcessing();
            _componentProxy?.Disconnect();
            _controllerProxy?.Disconnect();
            Vtbl.Of<IComponentVtbl>(_component)->PluginBase.Terminate(_component);
            if (_controller != null && !IsSingleComponent)
                Vtbl.Of<IEditControllerVtbl>(_controller)->PluginBase.Terminate(_controller);
        }
        Vtbl.Release(_controller);
        Vtbl.Release(_processor);
        Vtbl.Release(_component);
        _controller = _processor = _component = null;
        _componentProxy?.Release();
        _controllerProxy?.Release();
        _componentProxy = _controllerProxy = null;
        Buffers?.Dispose();
        Buffers = null;
        Handler.Release();
        InputParameterChanges.Release();
        OutputParameterChanges.Release();
        InputEvents.Release();
        OutputEvents.Release();
        _context.Release();
        System.Runtime.InteropServices.NativeMemory.Free(_processContext);
        _processContext = null;
    }
}
