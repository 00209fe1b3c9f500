using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>
/// The chain GainEQ runs at 64 bits, at the large block sizes of the validator's "Variable Block Size" case (max
/// 8192) where the in-process allocation probe once reported bytes, at every start alignment of the host buffers
/// (0..7 doubles past a 64-byte boundary), with and without a sidechain: no managed allocation. This pins down that
/// those bytes did not come from the chain, its biquad block loops or its kernels (see ProcessAllocationTests).
/// </summary>
public class LargeBlockAllocationTests
{
    private const int MaxFrames = 8192;
    private const int Channels = 2;
    private const int Alignments = 8;

    /// <summary>The sizes seen allocating (5414, 6910, 7137, 3139, 3678) and the validator's seeded sequence.</summary>
    private static int[] BlockSizes()
    {
        var sizes = new List<int> { 5414, 6910, 7137, 3139, 3678, MaxFrames, 1, 7 };
        var random = new Random(7);
        for (int i = 0; i < 20; i++) sizes.Add(random.Next(0, MaxFrames));
        return sizes.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Double_chain_at_large_blocks_and_every_alignment_allocates_nothing(bool withSidechain)
    {
        var state = new State(withSidechain);
        long bytes = AllocationProbe.BytesAllocated(state, static s => s.Step(), 2000);
        Assert.Equal(0, bytes);
        Assert.True(state.MaxPeak > 0.1, "the EQ chain must actually have rendered the sine");
    }

    private sealed class State
    {
        private readonly int[] _sizes = BlockSizes();
        private readonly PlanarBuffer<double> _input = new(Channels, MaxFrames + Alignments);
        private readonly PlanarBuffer<double> _output = new(Channels, MaxFrames + Alignments);
        private readonly PlanarBuffer<double> _key = new(Channels, MaxFrames + Alignments);
        private readonly bool _withSidechain;
        private int _step;

        public State(bool withSidechain)
        {
            _withSidechain = withSidechain;
            Chain = new GainBiquadChain<double>();
            Chain.Prepare(44100, MaxFrames, Channels, Channels);
            Chain.SetParameter(ChainParameter.GainDb, -3);
            Chain.SetParameter(ChainParameter.DuckDepthDb, withSidechain ? 12 : 0);
            for (int b = 0; b < Chain.BandCount; b++)
            {
                Chain.SetBandParameter(b, BandField.Enabled, 1);
                Chain.SetBandParameter(b, BandField.FrequencyHz, 200 * (b + 1));
                Chain.SetBandParameter(b, BandField.GainDb, b % 2 == 0 ? 4 : -4);
                Chain.SetBandParameter(b, BandField.Type, (double)FilterType.Peaking);
            }
            for (int c = 0; c < Channels; c++)
                for (int i = 0; i < MaxFrames + Alignments; i++)
                {
                    _input.Channels[c][i] = 0.5 * Math.Sin(2 * Math.PI * i / 64.0);
                    _key.Channels[c][i] = 0.8 * Math.Sin(2 * Math.PI * i / 50.0);
                }
        }

        public GainBiquadChain<double> Chain { get; }

        public double MaxPeak { get; private set; }

        public void Step()
        {
            int frames = _sizes[_step % _sizes.Length];
            int offset = (_step / _sizes.Length) % Alignments;
            _step++;
            var input = _input.Block(MaxFrames + Alignments).Slice(offset, frames);
            var output = _output.Block(MaxFrames + Alignments).Slice(offset, frames);
            var key = _withSidechain ? _key.Block(MaxFrames + Alignments).Slice(offset, frames) : AudioBlock<double>.Empty;
            if (!Chain.Process(input, output, key, null)) throw new InvalidOperationException("chain refused the block");
            MaxPeak = Math.Max(MaxPeak, Chain.OutputPeak);
        }
    }
}
