namespace NPlug.Buffers.Buses;

/// <summary>
/// Common channel layouts by channel count. Core only needs counts; mapping to a format's speaker masks
/// (e.g. VST3 <c>SpeakerArrangement</c>) is the wrapper's job.
/// </summary>
public static class SpeakerArrangement
{
    public const int Mono = 1;
    public const int Stereo = 2;
    public const int Lcr = 3;
    public const int Quad = 4;
    public const int Surround50 = 5;
    public const int Surround51 = 6;
    public const int Surround71 = 8;

    /// <summary>A readable name for a channel count ("stereo", "5.1", ...), or "N ch" for anything else.</summary>
    public static string Describe(int channelCount) => channelCount switch
    {
        0 => "no channels",
        Mono => "mono",
        Stereo => "stereo",
        Lcr => "LCR",
        Quad => "quad",
        Surround50 => "5.0",
        Surround51 => "5.1",
        Surround71 => "7.1",
        _ => $"{channelCount} ch",
    };
}
