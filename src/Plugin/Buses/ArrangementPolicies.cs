using System.Numerics;
using Speakers = NPlug.Buffers.Interop.Abi.SpeakerArrangements;

namespace NPlug.Buffers.Plugin.Buses;

/// <summary>Decides which speaker arrangements a processor accepts and what it suggests instead.</summary>
public interface IArrangementPolicy
{
    /// <summary>
    /// Fills <paramref name="chosenInputs"/>/<paramref name="chosenOutputs"/> with the arrangements the plugin will use:
    /// the request itself when it returns true, the closest supported layout (the suggestion) when it returns false.
    /// </summary>
    bool Evaluate(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs, Span<ulong> chosenInputs, Span<ulong> chosenOutputs);
}

/// <summary>
/// GainEQ: main in/out mono→mono, stereo→stereo, 5.1→5.1 and mono→stereo (the mono input feeds both outputs).
/// Aux (sidechain) inputs accept mono or stereo. Anything else is refused with the nearest supported pair: same
/// channel count if supported, else stereo for 2–4 channels and 5.1 for more.
/// </summary>
public sealed class GainEqArrangementPolicy : IArrangementPolicy
{
    public static readonly GainEqArrangementPolicy Instance = new();

    private static bool IsMainLayout(ulong a) => a is Speakers.Mono or Speakers.Stereo or Speakers.K51;

    public static bool IsSupportedPair(ulong input, ulong output) =>
        (input == output && IsMainLayout(input)) || (input == Speakers.Mono && output == Speakers.Stereo);

    public bool Evaluate(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs, Span<ulong> chosenInputs, Span<ulong> chosenOutputs)
    {
        if (inputs.Length == 0 || outputs.Length != 1) return false;
        bool ok = IsSupportedPair(inputs[0], outputs[0]);
        if (ok)
        {
            chosenInputs[0] = inputs[0];
            chosenOutputs[0] = outputs[0];
        }
        else
        {
            ulong suggestion = Nearest(outputs[0]);
            chosenInputs[0] = suggestion;
            chosenOutputs[0] = suggestion;
        }
        for (int i = 1; i < inputs.Length; i++)
        {
            bool auxOk = inputs[i] is Speakers.Mono or Speakers.Stereo;
            chosenInputs[i] = auxOk ? inputs[i] : Speakers.Stereo;
            ok &= auxOk;
        }
        return ok;
    }

    private static ulong Nearest(ulong requested) => BitOperations.PopCount(requested) switch
    {
        1 => Speakers.Mono,
        <= 4 => Speakers.Stereo,
        _ => Speakers.K51,
    };
}

/// <summary>Sampler: no audio inputs and exactly one stereo output.</summary>
public sealed class SamplerArrangementPolicy : IArrangementPolicy
{
    public static readonly SamplerArrangementPolicy Instance = new();

    public bool Evaluate(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs, Span<ulong> chosenInputs, Span<ulong> chosenOutputs)
    {
        if (inputs.Length != 0 || outputs.Length != 1) return false;
        chosenOutputs[0] = Speakers.Stereo;
        return outputs[0] == Speakers.Stereo;
    }
}
