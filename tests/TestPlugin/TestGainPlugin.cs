using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;

namespace NPlug.Buffers.TestPlugin;

/// <summary>Class ids and parameter ids of the test plugin (shared by processor, controller and tests).</summary>
public static class TestGain
{
    public const string ProcessorClassId = "6E1B3D2A-4C5F-4E8B-9A71-0D2C3B4A5F60";
    public const string ControllerClassId = "6E1B3D2A-4C5F-4E8B-9A71-0D2C3B4A5F61";
    public const string Name = "NPlug.Buffers Test Gain";
    public const uint GainId = 0;
    public const double MinDb = -60, MaxDb = 12;

    /// <summary>The gain parameter definition, used on both sides so conversions agree.</summary>
    public static AudioParameter CreateGainParameter() => AudioParameter.Linear(GainId, "Gain", MinDb, MaxDb, 0, "dB", decimals: 1, unitInText: false);

    public static PluginFactoryDescription CreateDescription()
    {
        var d = new PluginFactoryDescription("NPlug.Buffers", "https://example.invalid/nplug-buffers", "dev@example.invalid");
        d.AddProcessor(ProcessorClassId, Name, "Fx|Tools", ControllerClassId, () => new TestGainProcessor(), "1.0.0", ComponentFlags.Distributable);
        d.AddController(ControllerClassId, Name + " Controller", () => new TestGainController());
        return d;
    }

    /// <summary>State layout: one little-endian double, the normalized gain. Rejects anything else.</summary>
    internal static bool TryReadNormalized(Stream stream, out double v)
    {
        Span<byte> b = stackalloc byte[8];
        v = 0;
        if (stream.ReadAtLeast(b, 8, throwOnEndOfStream: false) != 8) return false;
        v = BinaryPrimitives.ReadDoubleLittleEndian(b);
        return v >= 0 && v <= 1;
    }

    internal static void WriteNormalized(Stream stream, double normalized)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, normalized);
        stream.Write(b);
    }
}

internal static class Registration
{
    // Runs when the module loads (NativeAOT startup or first touch under CoreCLR): the exported
    // GetPluginFactory then serves this plugin.
#pragma warning disable CA2255 // a plugin module registering itself at load is exactly the intended use
    [ModuleInitializer]
    internal static void Register() => PluginExports.Register(TestGain.CreateDescription());
#pragma warning restore CA2255
}

/// <summary>Stereo gain: out = in · 10^(dB/20), the gain taken from the last point of each block's automation.</summary>
public sealed class TestGainProcessor : AudioProcessor
{
    private readonly AudioParameter _gain = TestGain.CreateGainParameter();
    private long _normalizedBits;

    public TestGainProcessor() => GainNormalized = _gain.DefaultNormalized;

    /// <summary>Written on the UI thread (state) or the audio thread (automation); read on the audio thread.</summary>
    public double GainNormalized
    {
        get => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _normalizedBits));
        private set => Interlocked.Exchange(ref _normalizedBits, BitConverter.DoubleToInt64Bits(value));
    }

    public double LinearGain => Math.Pow(10, _gain.ToPlain(GainNormalized) / 20);

    public override bool CanProcess(SampleSize sampleSize) => true;

    protected override void ConfigureBuses(BusLayout buses)
    {
        buses.AddAudioInput("Stereo In", SpeakerArrangements.Stereo);
        buses.AddAudioOutput("Stereo Out", SpeakerArrangements.Stereo);
    }

    protected override bool AcceptsArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs) =>
        inputs.Length == 1 && outputs.Length == 1 && inputs[0] == outputs[0] &&
        (inputs[0] == SpeakerArrangements.Stereo || inputs[0] == SpeakerArrangements.Mono);

    protected override int ValidateBlock(ProcessBlock block) =>
        BusesMatchArrangements(block) ? TResult.ResultOk : TResult.InvalidArgument;

    protected override int OnProcess(ProcessBlock block)
    {
        var changes = block.InputParameterChanges;
        for (int i = 0; i < changes.Count; i++)
        {
            var queue = changes[i];
            if (queue.ParameterId == TestGain.GainId && queue.TryGetLastPoint(out _, out double value) && value >= 0 && value <= 1)
                GainNormalized = value;
        }
        if (block.SampleCount == 0) return TResult.ResultOk;

        var input = block.Input(0);
        var output = block.Output(0);
        double gain = LinearGain;
        ulong silence = 0;
        for (int ch = 0; ch < output.ChannelCount; ch++)
        {
            bool inputSilent = ch < input.ChannelCount && (input.SilenceFlags & (1UL << ch)) != 0;
            bool wrote = block.SampleSize == SampleSize.Float64
                ? Scale(input.GetChannel64(ch), output.GetChannel64(ch), gain, inputSilent)
                : Scale(input.GetChannel32(ch), output.GetChannel32(ch), (float)gain, inputSilent);
            if (!wrote) silence |= 1UL << ch;
        }
        output.SilenceFlags = silence;
        return TResult.ResultOk;
    }

    // Reads each sample before writing it, so in-place buffers are fine. Returns false when the output is silent.
    private static bool Scale<T>(Span<T> input, Span<T> output, T gain, bool inputSilent) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        if (output.IsEmpty) return true;
        if (inputSilent || input.Length != output.Length)
        {
            output.Clear();
            return false;
        }
        for (int i = 0; i < output.Length; i++) output[i] = input[i] * gain;
        return true;
    }

    protected override void OnWriteState(Stream stream) => TestGain.WriteNormalized(stream, GainNormalized);

    protected override bool OnReadState(Stream stream)
    {
        if (!TestGain.TryReadNormalized(stream, out double v)) return false;
        GainNormalized = v;
        return true;
    }
}

public sealed class TestGainController : EditController
{
    protected override void ConfigureParameters(ParameterList parameters) => parameters.Add(TestGain.CreateGainParameter());

    protected override bool OnSetComponentState(Stream stream, Span<double> values)
    {
        if (!TestGain.TryReadNormalized(stream, out double v)) return false;
        values[0] = v;
        return true;
    }
}
