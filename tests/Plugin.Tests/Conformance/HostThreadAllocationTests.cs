using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using HostBStream = NPlug.Buffers.Hosting.Com.HostBStream;
using HostMessageObject = NPlug.Buffers.Hosting.Com.HostMessage;
using NPlug.Buffers.Plugin;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// Every host-thread entry point of both plugin classes, called 100,000 times with varied arguments through the VST3
/// function pointers of the in-process plugin after <c>setActive(true)</c> (and while processing), allocates 0 managed
/// bytes on the calling thread (issue #14). Measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the
/// raw vtable calls only; the host objects the calls use (streams, messages, text buffers) are made beforehand and
/// allocate nothing themselves. After a warm-up, up to three identical passes are measured and the first 0 ends the
/// run (see <see cref="ProcessAllocationTests"/> on the runtime's one-off charges); a real allocation is a function of
/// the code path and shows in every pass.
/// </summary>
[Collection(ProcessProbeCollection.Name)]
public sealed unsafe class HostThreadAllocationTests
{
    private const int Calls = 100_000;
    private const int Warmup = 2_000;
    private const int MeasuredPasses = 3;

    public static TheoryData<string, int> Classes => new()
    {
        { PluginClasses.GainEqName, SymbolicSampleSizes.Sample32 },
        { PluginClasses.GainEqName, SymbolicSampleSizes.Sample64 },
        { PluginClasses.SamplerName, SymbolicSampleSizes.Sample32 },
        { PluginClasses.SamplerName, SymbolicSampleSizes.Sample64 },
        { StereoDelayName, SymbolicSampleSizes.Sample32 },
        { StereoDelayName, SymbolicSampleSizes.Sample64 },
    };

    private const string StereoDelayName = "StereoDelay";

    // ---- state --------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Classes))]
    public void Component_setState(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        var s = r.Presets[i % r.Presets.Length];
        s.Rewind();
        return r.Component->SetState(r.ComponentPtr, (void*)s.Pointer) == TResult.ResultOk;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void Component_getState(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        r.Output.Position = 0;
        return r.Component->GetState(r.ComponentPtr, (void*)r.Output.Pointer) == TResult.ResultOk;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void Controller_setComponentState(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        var s = r.Presets[i % r.Presets.Length];
        s.Rewind();
        return r.Controller->SetComponentState(r.ControllerPtr, (void*)s.Pointer) == TResult.ResultOk;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void Controller_setState(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        r.ControllerState.Rewind();
        return r.Controller->SetState(r.ControllerPtr, (void*)r.ControllerState.Pointer) == TResult.ResultOk;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void Controller_getState(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        r.Output.Position = 0;
        return r.Controller->GetState(r.ControllerPtr, (void*)r.Output.Pointer) == TResult.ResultOk;
    });

    // ---- parameters -----------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Classes))]
    public void SetParamNormalized(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
        (r.Controller->SetParamNormalized(r.ControllerPtr, r.Id(i), r.Value(i)) == TResult.ResultOk) == r.IsKnown(r.Id(i)));

    [Theory]
    [MemberData(nameof(Classes))]
    public void GetParamNormalized(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        double v = r.Controller->GetParamNormalized(r.ControllerPtr, r.Id(i));
        return v >= 0 && v <= 1;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void GetParamStringByValue(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        char* text = stackalloc char[String128.Length];
        text[0] = 'x';
        bool ok = r.Controller->GetParamStringByValue(r.ControllerPtr, r.Id(i), r.Value(i), text) == TResult.ResultOk;
        return r.IsKnown(r.Id(i)) ? ok && text[0] != '\0' && new ReadOnlySpan<char>(text, String128.Length).Contains('\0') : !ok;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void GetParamValueByString(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        int k = i % r.TextCount;
        double v = -1;
        int result = r.Controller->GetParamValueByString(r.ControllerPtr, r.TextIds[k], r.Text(k), &v);
        return result == TResult.ResultOk ? v >= 0 && v <= 1 : result == TResult.ResultFalse && r.TextIsGarbage(k);
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void NormalizedParamToPlain(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
        double.IsFinite(r.Controller->NormalizedParamToPlain(r.ControllerPtr, r.Id(i), r.Value(i))));

    [Theory]
    [MemberData(nameof(Classes))]
    public void PlainParamToNormalized(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        double n = r.Controller->PlainParamToNormalized(r.ControllerPtr, r.Id(i), (r.Value(i) - 0.25) * 40000);
        return n >= 0 && n <= 1;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void GetParameterInfo(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        ParameterInfo info;
        int index = i % (r.ParameterCount + 2);
        int result = r.Controller->GetParameterInfo(r.ControllerPtr, index, &info);
        return index < r.ParameterCount ? result == TResult.ResultOk : result != TResult.ResultOk;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void GetParameterCount_and_unit_info(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        if (r.Controller->GetParameterCount(r.ControllerPtr) != r.ParameterCount) return false;
        if (r.Units == null) return true;
        UnitInfo unit;
        int count = r.Units->GetUnitCount(r.UnitsPtr);
        int index = i % (count + 1);
        int result = r.Units->GetUnitInfo(r.UnitsPtr, index, &unit);
        if (index < count ? result != TResult.ResultOk : result == TResult.ResultOk) return false;
        int selected = (i & 1) == 0 ? 0 : unit.Id;
        return index >= count || r.Units->SelectUnit(r.UnitsPtr, selected) == TResult.ResultOk;
    });

    // ---- buses, routing, latency, context requirements ---------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Classes))]
    public void Bus_and_routing_queries(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        int media = i & 1, dir = (i >> 1) & 1;
        int count = r.Component->GetBusCount(r.ComponentPtr, media, dir);
        int index = (i >> 2) % (count + 1);
        BusInfo bus;
        int result = r.Component->GetBusInfo(r.ComponentPtr, media, dir, index, &bus);
        if (index < count ? result != TResult.ResultOk : result == TResult.ResultOk) return false;
        ulong arrangement;
        int audioCount = r.Component->GetBusCount(r.ComponentPtr, MediaTypes.Audio, dir);
        result = r.Processor->GetBusArrangement(r.ProcessorPtr, dir, index, &arrangement);
        if (index < audioCount ? result != TResult.ResultOk : result == TResult.ResultOk) return false;
        RoutingInfo input = new() { MediaType = media, BusIndex = 0, Channel = -1 }, output;
        r.Component->GetRoutingInfo(r.ComponentPtr, &input, &output);
        return r.Processor->CanProcessSampleSize(r.ProcessorPtr, i & 1) == TResult.ResultTrue;
    });

    [Theory]
    [MemberData(nameof(Classes))]
    public void Latency_tail_and_context_requirements(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        uint latency = r.Processor->GetLatencySamples(r.ProcessorPtr);
        uint tail = r.Processor->GetTailSamples(r.ProcessorPtr);
        uint flags = r.ContextRequirements->GetProcessContextRequirements(r.ContextRequirementsPtr);
        return latency < 1_000_000 && (tail >= 0) && flags < (1u << 16);
    });

    // ---- messages ---------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Classes))]
    public void Connection_point_notify(string className, int sampleSize) => Run(className, sampleSize, (r, i) =>
    {
        var message = r.Messages[i % r.Messages.Length];
        return r.ComponentConnection->Notify(r.ComponentConnectionPtr, (void*)message.Pointer) == TResult.ResultOk
            && r.ControllerConnection->Notify(r.ControllerConnectionPtr, (void*)message.Pointer) == TResult.ResultOk;
    });

    // ---- harness ----------------------------------------------------------------------------------------------------

    private delegate bool EntryCall(Rig rig, int i);

    private static void Run(string className, int sampleSize, EntryCall call)
    {
        using var module = className == StereoDelayName
            ? NPlug.Buffers.Tests.StereoDelayPlugin.StereoDelaySources.Open(PluginSources.InProcess)
            : PluginSources.Open(PluginSources.InProcess);
        var cls = module.ProcessorClasses.Single(c => c.Name == className);
        using var rig = new Rig(module, cls, sampleSize);

        int failures = 0;
        for (int i = 0; i < Warmup; i++) if (!call(rig, i)) failures++;
        Assert.True(failures == 0, $"{failures} of {Warmup} warm-up calls returned an unexpected result");

        long bytes = 0;
        for (int pass = 0; pass < MeasuredPasses; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++) if (!call(rig, i)) failures++;
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes == 0) break;
        }
        Assert.True(failures == 0, $"{failures} calls returned an unexpected result");
        Assert.True(rig.Plugin.Process(64) == TResult.ResultOk, "process failed after the calls");
        Assert.Equal(0, bytes);
    }

    /// <summary>An activated, processing instance with the interface pointers and host objects the calls need.</summary>
    private sealed class Rig : IDisposable
    {
        private const int TextSlots = 64;
        private readonly char* _texts;
        private readonly bool[] _garbage;
        private readonly uint[] _ids;
        private readonly double[] _values;

        public Rig(PluginModule module, PluginClassInfo cls, int sampleSize)
        {
            Plugin = module.CreatePlugin(cls);
            Plugin.StartProcessing(48000, 512, sampleSize);
            for (int b = 0; b < 4; b++) Plugin.Process(512);

            ComponentPtr = (void*)Plugin.Component;
            ProcessorPtr = (void*)Plugin.Processor;
            ControllerPtr = (void*)Plugin.Controller;
            Component = Vtbl.Of<IComponentVtbl>(ComponentPtr);
            Processor = Vtbl.Of<IAudioProcessorVtbl>(ProcessorPtr);
            Controller = Vtbl.Of<IEditControllerVtbl>(ControllerPtr);
            ComponentConnectionPtr = Vtbl.QueryInterface(ComponentPtr, Iids.IConnectionPoint, out _);
            ControllerConnectionPtr = Vtbl.QueryInterface(ControllerPtr, Iids.IConnectionPoint, out _);
            ContextRequirementsPtr = Vtbl.QueryInterface(ProcessorPtr, Iids.IProcessContextRequirements, out _);
            UnitsPtr = Vtbl.QueryInterface(ControllerPtr, Iids.IUnitInfo, out _);
            Assert.True(ComponentConnectionPtr != null && ControllerConnectionPtr != null && ContextRequirementsPtr != null);
            ComponentConnection = Vtbl.Of<IConnectionPointVtbl>(ComponentConnectionPtr);
            ControllerConnection = Vtbl.Of<IConnectionPointVtbl>(ControllerConnectionPtr);
            ContextRequirements = Vtbl.Of<IProcessContextRequirementsVtbl>(ContextRequirementsPtr);
            Units = UnitsPtr == null ? null : Vtbl.Of<IUnitInfoVtbl>(UnitsPtr);

            var parameters = Plugin.GetParameters();
            ParameterCount = parameters.Count;
            _ids = parameters.Select(p => p.Id).Append(0x7FFF_0000u).ToArray(); // plus one unknown id
            var rng = new Random(14);
            _values = Enumerable.Range(0, 1031).Select(_ => rng.NextDouble()).Append(0.0).Append(1.0).ToArray();

            // Presets made by the plugin itself (parameter changes through a flush, then getState), and texts to parse:
            // what getParamStringByValue produced, the same without its unit, and garbage.
            var presets = new List<HostBStream>();
            var writable = parameters.Where(p => !p.IsReadOnly).ToArray();
            for (int k = 0; k < 4; k++)
            {
                foreach (var p in writable) Plugin.InputParameterChanges.GetOrAdd(p.Id, out _)!.AddPoint(0, rng.NextDouble());
                Plugin.Process(0);
                presets.Add(new HostBStream(Plugin.GetComponentState()));
            }
            Presets = presets.ToArray();
            ControllerState = new HostBStream(Plugin.GetControllerState(out _));
            Output = new HostBStream(64 * 1024);

            _texts = (char*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(TextSlots * String128.Length * sizeof(char)));
            TextIds = new uint[TextSlots];
            _garbage = new bool[TextSlots];
            for (int k = 0; k < TextSlots; k++)
            {
                var p = parameters[k % parameters.Count];
                string text = (k % 4) switch
                {
                    3 => "not a value",
                    2 => (Plugin.ValueToString(p.Id, _values[k]) ?? "") is var s && p.Units.Length > 0 && s.EndsWith(p.Units) ? s[..^p.Units.Length].Trim() : Plugin.ValueToString(p.Id, _values[k]) ?? "",
                    _ => Plugin.ValueToString(p.Id, _values[k]) ?? "",
                };
                TextIds[k] = p.Id;
                _garbage[k] = k % 4 == 3;
                AbiStrings.WriteString128(Text(k), text);
            }

            Messages = new[] { "NPlug.Buffers.Test", "", "another message id" }.Select(id =>
            {
                var m = new HostMessageObject();
                m.SetMessageId(id.Length == 0 ? null : id);
                return m;
            }).ToArray();
        }

        public HostedPlugin Plugin { get; }
        public void* ComponentPtr { get; }
        public void* ProcessorPtr { get; }
        public void* ControllerPtr { get; }
        public void* ComponentConnectionPtr { get; }
        public void* ControllerConnectionPtr { get; }
        public void* ContextRequirementsPtr { get; }
        public void* UnitsPtr { get; }
        public IComponentVtbl* Component { get; }
        public IAudioProcessorVtbl* Processor { get; }
        public IEditControllerVtbl* Controller { get; }
        public IConnectionPointVtbl* ComponentConnection { get; }
        public IConnectionPointVtbl* ControllerConnection { get; }
        public IProcessContextRequirementsVtbl* ContextRequirements { get; }
        public IUnitInfoVtbl* Units { get; }
        public int ParameterCount { get; }
        public HostBStream[] Presets { get; }
        public HostBStream ControllerState { get; }
        public HostBStream Output { get; }
        public HostMessageObject[] Messages { get; }
        public uint[] TextIds { get; }
        public int TextCount => TextSlots;

        /// <summary>Mostly known ids, now and then the unknown one (the calls must refuse it without allocating).</summary>
        public uint Id(int i) => i % 13 == 7 ? _ids[^1] : _ids[i % (_ids.Length - 1)];

        public bool IsKnown(uint id) => id != _ids[^1];

        public double Value(int i) => _values[i % _values.Length];

        public char* Text(int k) => _texts + k * String128.Length;

        public bool TextIsGarbage(int k) => _garbage[k];

        public void Dispose()
        {
            Vtbl.Release(ComponentConnectionPtr);
            Vtbl.Release(ControllerConnectionPtr);
            Vtbl.Release(ContextRequirementsPtr);
            Vtbl.Release(UnitsPtr);
            foreach (var p in Presets) p.Release();
            ControllerState.Release();
            Output.Release();
            foreach (var m in Messages) m.Release();
            Plugin.Dispose();
            System.Runtime.InteropServices.NativeMemory.Free(_texts);
        }
    }
}
