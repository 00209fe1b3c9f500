namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// What a voice reads: planar float sample data plus its pitch and rate. A plain value copied into each voice —
/// the owner of the memory (a <c>SharedSampleBuffer</c>) is kept alive by reference counting in the engine.
/// </summary>
public readonly unsafe struct SampleView
{
    public SampleView(float* left, float* right, int frameCount, int rootNote, double sampleRate)
    {
        Left = left;
        Right = right == null ? left : right;
        FrameCount = left == null ? 0 : frameCount;
        RootNote = rootNote;
        SampleRate = sampleRate;
    }

    public float* Left { get; }
    /// <summary>Equals <see cref="Left"/> for a mono sample.</summary>
    public float* Right { get; }
    public int FrameCount { get; }
    public int RootNote { get; }
    public double SampleRate { get; }
    public bool IsEmpty => FrameCount < 2;
}
