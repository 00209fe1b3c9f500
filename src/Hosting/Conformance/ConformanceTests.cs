using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Conformance;

// The test bodies, one method per validator test (names and pass criteria from shared/validator-tests.md).
public sealed unsafe partial class ConformanceSuite
{
    // Optional controller interfaces the validator only reports on; IIDs from the SDK headers.
    private static readonly InterfaceId s_midiLearn = new("IMidiLearn", 0x6B2449CC, 0x419740B5, 0xAB3C79DA, 0xC5FE5C86);
    private static readonly InterfaceId s_noteExpression = new("INoteExpressionController", 0xB7F8F859, 0x41234872, 0x91169581, 0x4F3721A3);
    private static readonly InterfaceId s_keyswitch = new("IKeyswitchController", 0x1F2F76D3, 0xBFFB4B96, 0xB99527A5, 0x5EBCCEF4);

    // ------------------------------------------------------------------ general

    private static ConformanceResult ScanBuses(HostedPlugin p)
    {
        var buses = AllBuses(p).ToList();
        if (buses.Count == 0) return Fail("the component declares no bus at all");
        var unnamed = buses.FirstOrDefault(b => string.IsNullOrWhiteSpace(b.Name));
        if (unnamed != null) return Fail($"bus {unnamed.Index} (media {unnamed.MediaType}, dir {unnamed.Direction}) has no name");
        return Pass($"{buses.Count} buses: " + string.Join(", ", buses.Select(b => $"{b.Name}({b.ChannelCount})")));
    }

    private static ConformanceResult ScanParameters(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no edit controller, no parameters");
        var units = ReadUnitIds(p);
        var seen = new HashSet<uint>();
        int bypassCount = 0;
        int n = p.ParameterCount;
        for (int i = 0; i < n; i++)
        {
            int r = p.GetParameterInfo(i, out var info);
            if (r != TResult.ResultOk) return Fail($"getParameterInfo({i}) = {Code(r)}");
            var d = ParameterDescription.From(info, i);
            string who = $"parameter #{i} id {d.Id} '{d.Title}'";
            if (d.Id > ParamIds.MaxPluginParamId) return Fail($"{who}: id in the host-reserved range");
            if (!seen.Add(d.Id)) return Fail($"{who}: duplicate id");
            if (d.StepCount < 0) return Fail($"{who}: stepCount {d.StepCount} < 0");
            if (string.IsNullOrEmpty(d.Title)) return Fail($"parameter #{i} id {d.Id}: empty title");
            if (!(d.DefaultNormalized >= 0 && d.DefaultNormalized <= 1)) return Fail($"{who}: default {d.DefaultNormalized} outside [0, 1]");
            if (d.UnitId != Units.RootUnitId && (units == null || !units.Contains(d.UnitId)))
                return Fail($"{who}: unknown unitId {d.UnitId}{(units == null ? " (no IUnitInfo)" : "")}");
            if (d.CanAutomate && d.IsReadOnly) return Fail($"{who}: automatable and read-only");
            if (d.IsHidden && d.CanAutomate) return Fail($"{who}: hidden and automatable");
            if (d.IsProgramChange && !d.IsList) return Fail($"{who}: program-change parameter is not a list");
            if (d.IsBypass)
            {
                if (++bypassCount > 1) return Fail($"{who}: more than one bypass parameter");
                if ((d.Flags & ~(ParameterFlags.IsBypass | ParameterFlags.CanAutomate)) != 0)
                    return Fail($"{who}: bypass with flags other than kCanAutomate ({d.FlagNames})");
            }
        }
        return Pass($"{n} parameters, {bypassCount} bypass");
    }

    private static ConformanceResult TerminateInitialize(HostedPlugin p)
    {
        int r = p.TerminateComponent();
        if (r != TResult.ResultOk) return Fail($"terminate = {Code(r)}");
        r = p.InitializeComponent();
        if (r != TResult.ResultOk) return Fail($"initialize after terminate = {Code(r)}");
        return Pass("terminate and initialize answered kResultTrue");
    }

    private static ConformanceResult ValidStateTransition(HostedPlugin p, int sampleSize)
    {
        if (p.CanProcessSampleSize(sampleSize) != TResult.ResultOk) return Pass("sample size not supported; skipped");
        for (int cycle = 0; cycle < 4; cycle++)
        {
            if (cycle < 2 && ActivateMainBuses(p, true) is { } e0) return Fail($"cycle {cycle}: {e0}");
            int r = p.SetupProcessing(DefaultSampleRate, DefaultMaxBlock, sampleSize);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setupProcessing = {Code(r)}");
            r = p.SetActive(true);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setActive(true) = {Code(r)}");
            r = p.SetActive(false);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setActive(false) = {Code(r)}");
            ActivateMainBuses(p, false);
            r = p.TerminateComponent();
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: terminate = {Code(r)}");
            r = p.InitializeComponent();
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: initialize = {Code(r)} (buses must be rebuilt in initialize)");
        }
        return Pass("4 cycles of setup/activate/deactivate/terminate/initialize");
    }

    private static ConformanceResult SuspendResume(HostedPlugin p)
    {
        for (int cycle = 0; cycle < 3; cycle++)
        {
            int r = p.SetupProcessing(DefaultSampleRate, DefaultMaxBlock, SymbolicSampleSizes.Sample32);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setupProcessing = {Code(r)}");
            r = p.SetActive(true);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setActive(true) = {Code(r)}");
            r = p.SetActive(false);
            if (r != TResult.ResultOk) return Fail($"cycle {cycle}: setActive(false) = {Code(r)}");
        }
        return Pass("3 suspend/resume cycles");
    }

    private static ConformanceResult BusActivation(HostedPlugin p)
    {
        int toggled = 0;
        foreach (var b in AllBuses(p).ToList())
        {
            foreach (bool state in new[] { true, false, true })
            {
                int r = p.ActivateBus(b.MediaType, b.Direction, b.Index, state);
                if (r != TResult.ResultOk) return Fail($"activateBus({b.MediaType}, {b.Direction}, {b.Index}, {state}) = {Code(r)}");
                toggled++;
            }
            if (!IsBusActiveForTest(b)) p.ActivateBus(b.MediaType, b.Direction, b.Index, false);
        }
        return Pass($"{toggled} activateBus calls answered kResultOk");
    }

    private static ConformanceResult BusConsistency(HostedPlugin p)
    {
        var reference = new List<(int Media, int Dir, int Index, BusInfo Info)>();
        for (int media = 0; media < MediaTypes.NumMediaTypes; media++)
            for (int dir = 0; dir <= 1; dir++)
            {
                int n = p.GetBusCount(media, dir);
                for (int i = 0; i < n; i++)
                {
                    int r = p.GetBusInfo(media, dir, i, out var info);
                    if (r != TResult.ResultOk) return Fail($"getBusInfo({media}, {dir}, {i}) = {Code(r)}");
                    reference.Add((media, dir, i, info));
                }
            }
        if (reference.Count == 0) return Pass("no buses");
        var random = new Random(42);
        for (int k = 0; k < 200; k++)
        {
            var (media, dir, index, expected) = reference[random.Next(reference.Count)];
            p.GetBusInfo(media, dir, index, out var again);
            var a = new ReadOnlySpan<byte>(&expected, sizeof(BusInfo));
            var b = new ReadOnlySpan<byte>(&again, sizeof(BusInfo));
            if (!a.SequenceEqual(b)) return Fail($"getBusInfo({media}, {dir}, {index}) changed between calls");
        }
        return Pass($"200 random getBusInfo calls over {reference.Count} buses were identical");
    }

    private static ConformanceResult CheckAudioBusArrangement(HostedPlugin p)
    {
        int checkedBuses = 0;
        for (int dir = 0; dir <= 1; dir++)
            foreach (var b in p.GetBuses(MediaTypes.Audio, dir))
            {
                int r = p.GetBusArrangement(dir, b.Index, out ulong arr);
                if (r != TResult.ResultOk) return Fail($"getBusArrangement({dir}, {b.Index}) = {Code(r)}");
                int count = SpeakerArrangements.ChannelCount(arr);
                if (count != b.ChannelCount) return Fail($"bus '{b.Name}': arrangement 0x{arr:X} has {count} channels, BusInfo says {b.ChannelCount}");
                checkedBuses++;
            }
        return Pass($"{checkedBuses} audio buses consistent");
    }

    private static ConformanceResult SideChainArrangement(HostedPlugin p)
    {
        var inputs = p.GetBuses(MediaTypes.Audio, BusDirections.Input);
        var outputs = p.GetBuses(MediaTypes.Audio, BusDirections.Output);
        if (inputs.Count < 2 || !inputs.Any(b => !b.IsMain)) return Pass("no side-chain input; nothing to check");
        var ins = new ulong[inputs.Count];
        var outs = new ulong[outputs.Count];
        for (int i = 0; i < ins.Length; i++) p.GetBusArrangement(BusDirections.Input, i, out ins[i]);
        for (int i = 0; i < outs.Length; i++) p.GetBusArrangement(BusDirections.Output, i, out outs[i]);
        ins[0] = SpeakerArrangements.Mono;
        if (outs.Length > 0) outs[0] = SpeakerArrangements.Mono;
        int r = p.SetBusArrangements(ins, outs);
        if (r != TResult.ResultOk) return Pass($"mono main buses refused ({Code(r)}); allowed");
        p.GetBusArrangement(BusDirections.Input, 0, out ulong inBack);
        ulong outBack = 0;
        if (outs.Length > 0) p.GetBusArrangement(BusDirections.Output, 0, out outBack);
        if (inBack != SpeakerArrangements.Mono || (outs.Length > 0 && outBack != SpeakerArrangements.Mono))
            return Fail($"setBusArrangements accepted mono but reads back in 0x{inBack:X}, out 0x{outBack:X}");
        return Pass("mono main buses with side-chain accepted and read back");
    }

    private static ConformanceResult ProcessContextRequirements(HostedPlugin p)
    {
        double sdk = ParseSdkVersion(p.Class.SdkVersion);
        var flags = p.ProcessContextRequirements;
        if (sdk >= 3.07 && flags == null) return Fail($"sdkVersion '{p.Class.SdkVersion}' ≥ 3.7 but IProcessContextRequirements is missing");
        return Pass(flags == null ? $"sdkVersion '{p.Class.SdkVersion}' predates the interface" : $"requirements 0x{flags:X}");
    }

    private static ConformanceResult ScanEditorClasses(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no controller");
        var controller = (void*)p.Controller;
        fixed (byte* editor = "editor\0"u8)
        {
            var view = Vtbl.Of<IEditControllerVtbl>(controller)->CreateView(controller, editor);
            if (view == null) return Pass("no editor view (createView returned null)");
            var plugView = Vtbl.QueryInterface(view, Iids.IPlugView, out int r);
            Vtbl.Release(plugView);
            Vtbl.Release(view);
            return plugView != null ? Pass("editor view answers IPlugView") : Fail($"createView returned an object without IPlugView ({Code(r)})");
        }
    }

    private static ConformanceResult MidiMapping(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no controller");
        var mapping = Vtbl.QueryInterface((void*)p.Controller, Iids.IMidiMapping, out _);
        if (mapping == null) return Pass("IMidiMapping not implemented");
        try
        {
            var ids = p.GetParameters().Select(x => x.Id).ToHashSet();
            int assigned = 0;
            foreach (var bus in p.GetBuses(MediaTypes.Event, BusDirections.Input))
                for (short ch = 0; ch < Math.Min(16, Math.Max(1, bus.ChannelCount)); ch++)
                    for (short cc = 0; cc < 130; cc++)
                    {
                        uint id = 0;
                        if (Vtbl.Of<IMidiMappingVtbl>(mapping)->GetMidiControllerAssignment(mapping, bus.Index, ch, cc, &id) != TResult.ResultOk) continue;
                        if (!ids.Contains(id)) return Fail($"bus {bus.Index} channel {ch} CC {cc} maps to unknown parameter {id}");
                        assigned++;
                    }
            return Pass($"{assigned} MIDI controller assignments, all to known parameters");
        }
        finally { Vtbl.Release(mapping); }
    }

    private static ConformanceResult MidiLearn(HostedPlugin p) => Informational(p, s_midiLearn);

    private static ConformanceResult NoteExpression(HostedPlugin p) => Informational(p, s_noteExpression);

    private static ConformanceResult Keyswitch(HostedPlugin p) => Informational(p, s_keyswitch);

    /// <summary>Optional interface: if the controller answers QI with success it must hand out a real object.</summary>
    private static ConformanceResult Informational(HostedPlugin p, InterfaceId iid)
    {
        if (!p.HasController) return Pass("no controller");
        void* obj = null;
        var controller = (void*)p.Controller;
        int r = Vtbl.Of<FUnknownVtbl>(controller)->QueryInterface(controller, iid.Pointer, &obj);
        if (r == TResult.ResultOk && obj == null) return Fail($"queryInterface({iid.Name}) answered kResultOk with a null object");
        if (r != TResult.ResultOk && obj != null) return Fail($"queryInterface({iid.Name}) failed but left a non-null object");
        Vtbl.Release(obj);
        return Pass(obj != null ? $"{iid.Name} implemented" : $"{iid.Name} not implemented (informational)");
    }

    /// <summary>What IUnitInfo lists: getUnitCount, and getUnitInfo's result and unit for each index below it.</summary>
    private sealed record UnitListing(int Count, (int Result, UnitInfo Unit)[] Entries)
    {
        /// <summary>The units getUnitInfo delivered (kResultOk), in index order.</summary>
        public IEnumerable<UnitInfo> Delivered => Entries.Where(e => e.Result == TResult.ResultOk).Select(e => e.Unit);
    }

    /// <summary>Every unit the controller's IUnitInfo lists, or null without a controller or IUnitInfo.</summary>
    private static UnitListing? QueryUnits(HostedPlugin p)
    {
        if (!p.HasController) return null;
        var unitInfo = Vtbl.QueryInterface((void*)p.Controller, Iids.IUnitInfo, out _);
        if (unitInfo == null) return null;
        try
        {
            var vt = Vtbl.Of<IUnitInfoVtbl>(unitInfo);
            int n = vt->GetUnitCount(unitInfo);
            var entries = new (int, UnitInfo)[Math.Max(0, n)];
            for (int i = 0; i < entries.Length; i++)
            {
                UnitInfo u = default;
                int r = vt->GetUnitInfo(unitInfo, i, &u);
                entries[i] = (r, u);
            }
            return new UnitListing(n, entries);
        }
        finally { Vtbl.Release(unitInfo); }
    }

    /// <summary>Unit ids from IUnitInfo, or null when the controller does not implement it.</summary>
    private static HashSet<int>? ReadUnitIds(HostedPlugin p) => QueryUnits(p)?.Delivered.Select(u => u.Id).ToHashSet();

    private static ConformanceResult ScanUnits(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no controller");
        if (QueryUnits(p) is not { } listing) return Pass("IUnitInfo not implemented");
        int n = listing.Count;
        if (n < 1) return Fail($"getUnitCount = {n}; at least the root unit is required");
        bool root = false;
        for (int i = 0; i < n; i++)
        {
            var (r, u) = listing.Entries[i];
            if (r != TResult.ResultOk) return Fail($"getUnitInfo({i}) = {Code(r)}");
            if (string.IsNullOrEmpty(AbiStrings.Read(u.Name))) return Fail($"unit {u.Id} has no name");
            root |= u.Id == Units.RootUnitId;
        }
        return root ? Pass($"{n} units including the root") : Fail("no root unit (id 0)");
    }

    private static ConformanceResult CheckUnitStructure(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no controller");
        if (QueryUnits(p) is not { } listing) return Pass("IUnitInfo not implemented");
        var units = listing.Delivered.ToList();
        var ids = units.Select(u => u.Id).ToHashSet();
        foreach (var u in units)
        {
            if (u.Id == Units.RootUnitId) continue;
            if (!ids.Contains(u.ParentUnitId)) return Fail($"unit {u.Id} has unknown parent {u.ParentUnitId}");
        }
        return Pass($"{units.Count} units, every parent exists");
    }

    private static ConformanceResult ScanPrograms(HostedPlugin p)
    {
        if (!p.HasController) return Pass("no controller");
        var unitInfo = Vtbl.QueryInterface((void*)p.Controller, Iids.IUnitInfo, out _);
        if (unitInfo == null) return Pass("IUnitInfo not implemented, no program lists");
        try
        {
            var vt = Vtbl.Of<IUnitInfoVtbl>(unitInfo);
            int lists = vt->GetProgramListCount(unitInfo);
            char* name = stackalloc char[String128.Length];
            for (int l = 0; l < lists; l++)
            {
                ProgramListInfo info = default;
                int r = vt->GetProgramListInfo(unitInfo, l, &info);
                if (r != TResult.ResultOk) return Fail($"getProgramListInfo({l}) = {Code(r)}");
                if (info.ProgramCount < 0) return Fail($"program list {info.Id}: programCount {info.ProgramCount}");
                for (int i = 0; i < info.ProgramCount; i++)
                {
                    r = vt->GetProgramName(unitInfo, info.Id, i, name);
                    if (r != TResult.ResultOk) return Fail($"getProgramName({info.Id}, {i}) = {Code(r)}");
                }
            }
            return Pass($"{lists} program lists");
        }
        finally { Vtbl.Release(unitInfo); }
    }

    // ------------------------------------------------------------------ processing

    private static ConformanceResult ProcessTest(HostedPlugin p, int sampleSize)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        if (ProcessBlocks(p, 3, DefaultBlock) is { } e2) return Fail(e2);
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass("3 blocks of 64 samples with input silence flags set");
    }

    private static ConformanceResult ProcessThread(HostedPlugin p, int sampleSize)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        string? error = null;
        var thread = new Thread(() =>
        {
            for (int i = 0; i < 9999 && error == null; i++)
            {
                int r = p.Process(DefaultBlock);
                if (r != TResult.ResultOk) error = $"process #{i} on the second thread = {Code(r)}";
            }
        });
        thread.Start();
        thread.Join();
        if (error != null) return Fail(error);
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass("9999 process calls from a new thread");
    }

    private static ConformanceResult SilenceFlags(HostedPlugin p, int sampleSize)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        var buffers = p.Buffers!;
        buffers.ClearAll();
        int calls = 0;
        for (int bus = 0; bus < buffers.InputBusCount; bus++)
        {
            int channels = Math.Min(buffers.InputChannelCount(bus), 16);
            for (ulong flags = 0; flags < (1UL << channels); flags++)
            {
                buffers.SetInputSilenceFlags(bus, flags);
                int r = p.Process(DefaultBlock);
                calls++;
                if (r != TResult.ResultOk) return Fail($"bus {bus} silence flags 0x{flags:X}: process = {Code(r)}");
            }
            buffers.SetInputSilenceFlags(bus, 0);
        }
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass($"{calls} flag patterns processed");
    }

    private static ConformanceResult SilenceProcessing(HostedPlugin p, int sampleSize)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        var buffers = p.Buffers!;
        buffers.ClearAll();
        buffers.SetAllInputsSilent(true);
        int blocks = (int)(20 * DefaultSampleRate / DefaultBlock);
        int wrongFlags = 0;
        for (int i = 0; i < blocks; i++)
        {
            int r = p.Process(DefaultBlock);
            if (r != TResult.ResultOk) return Fail($"process #{i} of silent input = {Code(r)}");
            wrongFlags += CountWrongOutputFlags(buffers, sampleSize, DefaultBlock);
        }
        buffers.SetAllInputsSilent(false);
        if (Stop(p) is { } e3) return Fail(e3);
        // Like the validator, a wrong output flag is reported but not a failure.
        return Pass($"20 s of silence in {blocks} blocks; {wrongFlags} output silence flags disagreed with content");
    }

    /// <summary>Output flags claiming silence over content above 1.3e-4 (the validator's threshold).</summary>
    private static int CountWrongOutputFlags(HostProcessBuffers buffers, int sampleSize, int n)
    {
        int wrong = 0;
        for (int bus = 0; bus < buffers.OutputBusCount; bus++)
        {
            ulong flags = buffers.OutputBuses[bus].SilenceFlags;
            for (int ch = 0; ch < buffers.OutputChannelCount(bus) && ch < 64; ch++)
            {
                if ((flags & (1UL << ch)) == 0) continue;
                for (int i = 0; i < n; i++)
                {
                    double v = sampleSize == SymbolicSampleSizes.Sample64 ? buffers.Output64(bus, ch)[i] : buffers.Output32(bus, ch)[i];
                    if (Math.Abs(v) > 1.3e-4) { wrong++; break; }
                }
            }
        }
        return wrong;
    }

    private static ConformanceResult Flush(HostedPlugin p, int sampleSize, FlushVariant variant)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        uint id = p.ParameterCount > 0 && p.GetParameterInfo(0, out var info) == TResult.ResultOk ? info.Id : 0;
        int r = p.Flush(variant, id);
        if (r != TResult.ResultOk) return Fail($"{variant} flush = {Code(r)}");
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass($"{variant} flush answered kResultOk");
    }

    private static ConformanceResult VariableBlockSize(HostedPlugin p, int sampleSize)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        var random = new Random(7);
        p.Process(0); // the validator ignores this first call's result
        for (int i = 1; i < 21; i++)
        {
            int n = random.Next(0, DefaultMaxBlock);
            HostileModeRunner.FillInputs(p.Buffers!, sampleSize, n, i);
            int r = p.Process(n);
            if (r != TResult.ResultOk) return Fail($"process({n} samples) = {Code(r)}");
        }
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass("20 random block sizes in [0, 8192)");
    }

    private static readonly double[] s_rates =
        [22050, 32000, 44100, 48000, 88200, 96000, 192000, 384000, 1234.5678, 12345.678, 123456.78, 1234567.8];

    private static ConformanceResult ProcessFormat(HostedPlugin p, int sampleSize)
    {
        int refusedSetups = 0;
        foreach (var rate in s_rates)
        {
            int r = p.SetupProcessing(rate, DefaultMaxBlock, sampleSize);
            if (r != TResult.ResultOk) refusedSetups++;
            r = p.SetActive(true);
            if (r != TResult.ResultOk) return Fail($"{rate} Hz: setActive(true) = {Code(r)}");
            p.SetProcessing(true);
            HostileModeRunner.FillInputs(p.Buffers!, sampleSize, DefaultBlock, 0);
            r = p.Process(DefaultBlock);
            if (r != TResult.ResultOk) return Fail($"{rate} Hz: process = {Code(r)}");
            if (Stop(p) is { } e) return Fail($"{rate} Hz: {e}");
        }
        return Pass($"{s_rates.Length} sample rates processed ({refusedSetups} setupProcessing refusals, logged only)");
    }

    private static ConformanceResult BypassPersistence(HostedPlugin p, int sampleSize)
    {
        var bypass = p.GetParameters().FirstOrDefault(x => x.IsBypass);
        if (bypass == null) return Pass("no kIsBypass parameter; nothing to check");
        if (Start(p, sampleSize) is { } e) return Fail(e);
        int r = p.Flush(FlushVariant.NoBuffers, bypass.Id, 1.0);
        if (r != TResult.ResultOk) return Fail($"flush with bypass = 1 answered {Code(r)}");
        p.SetParamNormalized(bypass.Id, 1.0);
        var componentState = p.GetComponentState(out r);
        if (r != TResult.ResultOk) return Fail($"component getState = {Code(r)}");
        var controllerState = p.GetControllerState(out _);
        r = p.Flush(FlushVariant.NoBuffers, bypass.Id, 0.0);
        if (r != TResult.ResultOk) return Fail($"flush with bypass = 0 answered {Code(r)}");
        p.SetParamNormalized(bypass.Id, 0.0);
        if (Stop(p) is { } e3) return Fail(e3);
        r = p.SetComponentState(componentState);
        if (r != TResult.ResultOk) return Fail($"component setState = {Code(r)}");
        p.SetControllerComponentState(componentState);
        p.SetControllerState(controllerState);
        double value = p.GetParamNormalized(bypass.Id);
        return value >= 0.5 ? Pass($"bypass restored to {value}") : Fail($"after reloading the state the controller's bypass is {value}, expected 1");
    }

    private static ConformanceResult Arrangement(HostedPlugin p, int sampleSize, ulong inArr, ulong outArr)
    {
        var inputs = p.GetBuses(MediaTypes.Audio, BusDirections.Input);
        var outputs = p.GetBuses(MediaTypes.Audio, BusDirections.Output);
        var ins = new ulong[inputs.Count];
        var outs = new ulong[outputs.Count];
        for (int i = 0; i < ins.Length; i++) p.GetBusArrangement(BusDirections.Input, i, out ins[i]);
        for (int i = 0; i < outs.Length; i++) p.GetBusArrangement(BusDirections.Output, i, out outs[i]);
        if (ins.Length > 0) ins[0] = inArr;
        if (outs.Length > 0) outs[0] = outArr;
        int r = p.SetBusArrangements(ins, outs);
        string note;
        if (r == TResult.ResultOk)
        {
            for (int dir = 0; dir <= 1; dir++)
                foreach (var b in p.GetBuses(MediaTypes.Audio, dir))
                {
                    p.GetBusArrangement(dir, b.Index, out ulong arr);
                    if (SpeakerArrangements.ChannelCount(arr) != b.ChannelCount)
                        return Fail($"accepted, but bus '{b.Name}' arrangement 0x{arr:X} ≠ BusInfo.channelCount {b.ChannelCount}");
                }
            note = "accepted";
        }
        else
        {
            ulong si = 0, so = 0;
            if (ins.Length > 0) p.GetBusArrangement(BusDirections.Input, 0, out si);
            if (outs.Length > 0) p.GetBusArrangement(BusDirections.Output, 0, out so);
            note = $"refused ({Code(r)}), plugin suggests in 0x{si:X} out 0x{so:X}";
        }
        var result = ProcessTest(p, sampleSize);
        return result.Passed ? Pass(note + "; process test passed") : Fail(note + "; " + result.Message);
    }

    private static ConformanceResult Accuracy(HostedPlugin p, int sampleSize, bool sampleMode, int count, int interval)
    {
        if (Start(p, sampleSize) is { } e) return Fail(e);
        var parameters = p.GetParameters();
        int n = Math.Min(count, parameters.Count);
        var random = new Random(interval * 31 + n);
        p.Interfaces |= ProcessInterfaces.InputParameterChanges;
        const int blocks = 40;
        long position = 0;
        for (int b = 0; b < blocks; b++)
        {
            for (int k = 0; k < n; k++)
            {
                var param = parameters[k];
                if (!param.CanAutomate)
                {
                    p.InputParameterChanges.GetOrAdd(ParamIds.NoParamId, out _);
                    continue;
                }
                if (sampleMode)
                {
                    p.InputParameterChanges.AddPoint(param.Id, 0, random.NextDouble());
                    p.InputParameterChanges.AddPoint(param.Id, 1, random.NextDouble());
                }
                for (int i = 0; i < DefaultBlock; i++)
                    if ((position + i) % interval == 0)
                        p.InputParameterChanges.AddPoint(param.Id, i, random.NextDouble());
            }
            HostileModeRunner.FillInputs(p.Buffers!, sampleSize, DefaultBlock, b);
            int r = p.Process(DefaultBlock);
            if (r != TResult.ResultOk) return Fail($"block {b}: process with {n} automated parameters = {Code(r)}");
            position += DefaultBlock;
        }
        if (Stop(p) is { } e3) return Fail(e3);
        return Pass($"{blocks} blocks with {n} parameters changing every {interval} samples ({(sampleMode ? "sample" : "block")} mode)");
    }
}
