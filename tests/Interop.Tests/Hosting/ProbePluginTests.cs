using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>
/// An in-process probe instrument that records what reaches it through the real ABI (events with sample offsets,
/// parameter points, the ProcessContext) and answers through output parameter changes and output events.
/// </summary>
public sealed class ProbePluginTests
{
    private const uint InputParamId = 3, MeterId = 9;

    private sealed class Probe : AudioProcessor
    {
        public readonly List<(ushort Type, int Offset, short Pitch, float Velocity)> Events = [];
        public readonly List<(uint Id, int Offset, double Value)> Points = [];
        public ProcessContext? LastContext;

        protected override void ConfigureBuses(BusLayout buses)
        {
            buses.AddEventInput("MIDI In", 16);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override int OnProcess(ProcessBlock block)
        {
            var events = block.InputEvents;
            for (int i = 0; i < events.Count; i++)
                if (events.TryGetEvent(i, out var e))
                    Events.Add((e.Type, e.SampleOffset, e.Type == EventTypes.NoteOn ? e.NoteOn.Pitch : e.NoteOff.Pitch,
                        e.Type == EventTypes.NoteOn ? e.NoteOn.Velocity : e.NoteOff.Velocity));
            var changes = block.InputParameterChanges;
            for (int i = 0; i < changes.Count; i++)
            {
                var q = changes[i];
                for (int p = 0; p < q.PointCount; p++)
                    if (q.TryGetPoint(p, out int offset, out double value)) Points.Add((q.ParameterId, offset, value));
            }
            LastContext = block.TryGetContext(out var c) ? c : null;
            block.OutputParameterChanges.TryAddPoint(MeterId, block.SampleCount - 1, 0.75);
            var echo = new Event { Type = EventTypes.NoteOn, SampleOffset = 5 };
            echo.NoteOn.Pitch = 72;
            block.OutputEvents.TryAdd(echo);
                    return TResult.ResultOk;
        }
    }

    private sealed class ProbeController : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters)
        {
            parameters.Add(AudioParameter.Linear(InputParamId, "Input", 0, 1, 0, "", decimals: 2, unitInText: false));
        }
    }

    private static unsafe (PluginModule, Probe) Open(bool freshPerInstance = false)
    {
        var probe = new Probe();
        var d = new PluginFactoryDescription("Probe");
        const string proc = "AAAAAAAA-0000-4000-8000-000000000001", ctrl = "AAAAAAAA-0000-4000-8000-000000000002";
        d.AddProcessor(proc, "Probe", "Instrument", ctrl, () => freshPerInstance ? new Probe() : probe);
        d.AddController(ctrl, "Probe Controller", () => new ProbeController());
        return (PluginModule.FromFactory((nint)PluginExports.CreateFactory(d)), probe);
    }

    [Fact]
    public void Note_events_and_sample_accurate_points_arrive_in_order()
    {
        var (module, probe) = Open();
        using (module)
        using (var plugin = module.CreatePlugin())
        {
            plugin.StartProcessing(48000, 256);
            Assert.True(plugin.InputEvents.AddNoteOn(10, 0, 60, 0.5f));
            Assert.True(plugin.InputEvents.AddNoteOff(200, 0, 60));
            plugin.InputParameterChanges.AddPoint(InputParamId, 128, 0.25);
            plugin.InputParameterChanges.AddPoint(InputParamId, 0, 0.1);
            Assert.Equal(TResult.ResultOk, plugin.Process(256));
            Assert.Equal([(EventTypes.NoteOn, 10, (short)60, 0.5f), (EventTypes.NoteOff, 200, (short)60, 0f)], probe.Events);
            Assert.Equal([(InputParamId, 0, 0.1), (InputParamId, 128, 0.25)], probe.Points);

            // Input queues are consumed by the block; output changes and events are readable after it.
            Assert.Equal(0, plugin.InputParameterChanges.Count);
            var meter = plugin.OutputParameterChanges.Find(MeterId);
            Assert.NotNull(meter);
            Assert.Equal((255, 0.75), meter!.GetPoint(0));
            Assert.Equal(1, plugin.OutputEvents.Count);
            Assert.Equal(72, plugin.OutputEvents[0].NoteOn.Pitch);

            Assert.Equal(TResult.ResultOk, plugin.Process(256));
            Assert.Equal(2, probe.Events.Count); // nothing re-sent
        }
    }

    [Fact]
    public void Process_context_reports_the_transport_and_advances()
    {
        var (module, probe) = Open();
        using (module)
        using (var plugin = module.CreatePlugin())
        {
            plugin.Transport.Tempo = 90;
            plugin.StartProcessing(48000, 480);
            Assert.Equal(TResult.ResultOk, plugin.Process(480));
            Assert.Equal(TResult.ResultOk, plugin.Process(480));
            var c = Assert.IsType<ProcessContext>(probe.LastContext);
            Assert.Equal(48000, c.SampleRate);
            Assert.Equal(480, c.ProjectTimeSamples);
            Assert.Equal(90, c.Tempo);
            Assert.Equal(480 / 48000.0 * 90 / 60, c.ProjectTimeMusic, 12); // 0.015 quarter notes
            Assert.NotEqual(0u, c.State & ProcessContextState.Playing);
            Assert.NotEqual(0u, c.State & ProcessContextState.TempoValid);

            plugin.Interfaces &= ~ProcessInterfaces.ProcessContext;
            Assert.Equal(TResult.ResultOk, plugin.Process(480));
            Assert.Null(probe.LastContext);
        }
    }

    [Fact]
    public void Conformance_suite_runs_on_an_instrument_without_audio_inputs()
    {
        var (module, _) = Open(freshPerInstance: true);
        using (module)
        {
            var (_, suite) = Assert.Single(NPlug.Buffers.Hosting.Conformance.ConformanceSuite.ForEveryProcessor(module));
            var failures = suite.RunAll().Where(r => !r.Passed).Select(r => r.ToString()).ToList();
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
    }
}
