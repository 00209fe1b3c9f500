using System.Numerics;
using Masks = NPlug.Buffers.Interop.Abi.SpeakerArrangements;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// A bus's speaker layout: one bit per speaker, in VST3's bit order, so the value passes through the ABI unchanged.
/// Channels are the set bits in ascending order.
/// </summary>
public readonly record struct SpeakerArrangement(ulong Speakers)
{
    public static readonly SpeakerArrangement Empty = new(0);
    public static readonly SpeakerArrangement Mono = new(Masks.Mono);
    public static readonly SpeakerArrangement Stereo = new(Masks.Stereo);
    public static readonly SpeakerArrangement Lcr = new(Masks.K30Cine);
    public static readonly SpeakerArrangement Surround50 = new(Masks.K50);
    public static readonly SpeakerArrangement Surround51 = new(Masks.K51);
    public static readonly SpeakerArrangement Surround71 = new(Masks.K71Cine);

    public int ChannelCount => BitOperations.PopCount(Speakers);

    public override string ToString() => ChannelCount switch
    {
        0 => "empty",
        1 => "mono",
        2 when Speakers == Stereo.Speakers => "stereo",
        6 when Speakers == Surround51.Speakers => "5.1",
        _ => $"{ChannelCount} ch (0x{Speakers:X})",
    };
}
