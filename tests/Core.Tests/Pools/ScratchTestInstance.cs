using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>A test instance: the DSP, its deterministic input, a running hash of its output, and an exclusive-use flag.</summary>
internal sealed class ScratchTestInstance
{
    private readonly double[] _inL, _inR, _sideL, _sideR, _outL, _outR;
    private readonly int _maxFrames;
    public int Busy;
    public long Blocks;
    public ulong Hash = 14695981039346656037UL;

    public ScratchTestInstance(int index, int maxFrames, ScratchPool<double>? pool)
    {
        Index = index;
        _maxFrames = maxFrames;
        Dsp = pool == null ? new ScratchReferenceDsp(maxFrames) : new ScratchReferenceDsp(pool, maxFrames);
        _inL = new double[maxFrames];
        _inR = new double[maxFrames];
        _sideL = new double[maxFrames];
        _sideR = new double[maxFrames];
        _outL = new double[maxFrames];
        _outR = new double[maxFrames];
    }

    public int Index { get; }

    private const int TableMask = (1 << 14) - 1;
    private static readonly double[] Table = Enumerable.Range(0, 1 << 14)
        .Select(i => Math.Sin(i * 0.013) * 0.7 + Math.Sin(i * 0.0917) * 0.3).ToArray();

    public ScratchReferenceDsp Dsp { get; set; }

    /// <summary>Block length of this instance's n-th block: deterministic, 1 to maxFrames, often the maximum.</summary>
    public static int BlockLength(int index, long block, int maxFrames, int cap)
    {
        ulong h = (ulong)(index * 7919 + block * 104729) * 0x9E3779B97F4A7C15UL;
        int n = (h >> 60) < 4 ? maxFrames : 1 + (int)((h >> 20) % (ulong)maxFrames);
        return Math.Min(n, cap);
    }

    /// <summary>Renders the next block (its input depends only on instance and block number) and folds the output into <see cref="Hash"/>.</summary>
    public void ProcessNext(int cap)
    {
        int n = BlockLength(Index, Blocks, _maxFrames, cap);
        int offset = (int)((Index * 977 + Blocks * 131) & TableMask);
        double[] table = Table;
        for (int i = 0; i < n; i++)
        {
            _inL[i] = table[(offset + i) & TableMask];
            _inR[i] = table[(offset * 3 + 2 * i) & TableMask];
            _sideL[i] = ((i + offset) & 64) != 0 ? 0.9 : -0.2;
            _sideR[i] = table[(offset * 5 + i) & TableMask];
        }

        Dsp.Process(_inL, _inR, _sideL, _sideR, _outL, _outR, n);
        ulong h = Hash;
        for (int i = 0; i < n; i++)
        {
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(_outL[i])) * 1099511628211UL;
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(_outR[i])) * 1099511628211UL;
        }

        Hash = h;
        Blocks++;
    }
}
