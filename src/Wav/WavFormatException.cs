namespace NPlug.Buffers.Wav;

/// <summary>What is wrong with a WAV file.</summary>
public enum WavProblem
{
    /// <summary>The file ends before a header, chunk or the declared sample data is complete.</summary>
    Truncated,

    /// <summary>Not a RIFF/WAVE file at all.</summary>
    NotWave,

    /// <summary>A required chunk (<c>fmt </c> or <c>data</c>) is missing.</summary>
    MissingChunk,

    /// <summary>The header contradicts itself (e.g. block align does not match channels x sample size).</summary>
    InvalidHeader,

    /// <summary>A valid WAV encoding this library does not handle (compressed codecs, odd bit depths, too many channels).</summary>
    Unsupported,
}

/// <summary>A WAV file could not be read or written; the message names the problem and the offending values.</summary>
public sealed class WavFormatException : FormatException
{
    public WavFormatException(WavProblem problem, string message)
        : base($"{Describe(problem)}: {message}")
    {
        Problem = problem;
    }

    public WavProblem Problem { get; }

    private static string Describe(WavProblem problem) => problem switch
    {
        WavProblem.Truncated => "Truncated WAV file",
        WavProblem.NotWave => "Not a RIFF/WAVE file",
        WavProblem.MissingChunk => "Missing WAV chunk",
        WavProblem.InvalidHeader => "Invalid WAV header",
        _ => "Unsupported WAV format",
    };
}
