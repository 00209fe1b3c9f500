using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Tests.Direct;

/// <summary>
/// A block above maxSamplesPerBlock is processed in slices of at most the maximum: the result equals the same audio
/// sent as separate maximum-size blocks, sample for sample.
/// </summary>
public unsafe class OversizeBlockTests
{
    public static TheoryData<int> SampleSizes => new() { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 };
    private const int Max = 256;

    private static double Signal(int i) => 0.4 * Math.Sin(2 * Math.PI * 997 * i / 48000.0) + 0.1 * Math.Sin(2 * Math.PI * 61 * i / 48000.0);

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void GainEq_oversize_block_equals_maximum_blocks(int sampleSize)
    {
        double[] Run(bool oversize)
        {
            using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize, maxBlock: Max);
            var gain = GainEqModel.Instance.Parameters.Find(GainEqModel.OutputGain)!;
            rig.Changes.AddPoint(GainEqModel.OutputGain, 0, gain.ToNormalized(-6));
            rig.Changes.AddPoint(GainEqModel.BandId(1, GainEqModel.BandGain), 0, 0.8);
            var result = new List<double>();
            if (oversize)
            {
                rig.SetInput(0, 0, Signal, 2 * Max);
                rig.SetInput(0, 1, Signal, 2 * Max);
                Assert.Equal(TResult.ResultOk, rig.Process(2 * Max));
                result.AddRange(rig.Output(0, 0, 2 * Max));
            }
            else
            {
                for (int b = 0; b < 2; b++)
                {
                    rig.SetInput(0, 0, Signal, Max, b * Max);
                    rig.SetInput(0, 1, Signal, Max, b * Max);
                    Assert.Equal(TResult.ResultOk, rig.Process(Max));
                    result.AddRange(rig.Output(0, 0, Max));
                }
            }
            return [.. result];
        }
        var whole = Run(oversize: true);
        Assert.True(DirectRig.Peak(whole) > 0.1);
        Assert.Equal(Run(oversize: false), whole);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Sampler_oversize_block_places_notes_like_maximum_blocks(int sampleSize)
    {
        double[] Run(bool oversize)
        {
            using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance), sampleSize, maxBlock: Max);
            var result = new List<double>();
            if (oversize)
            {
                rig.Events.AddNoteOn(40, 0, 60, 1f, noteId: 1);
                rig.Events.AddNoteOn(Max + 100, 0, 67, 0.7f, noteId: 2);
                rig.Events.AddNoteOff(Max + 180, 0, 60, 0f, noteId: 1);
                Assert.Equal(TResult.ResultOk, rig.Process(2 * Max));
                result.AddRange(rig.Output(0, 0, 2 * Max));
            }
            else
            {
                rig.Events.AddNoteOn(40, 0, 60, 1f, noteId: 1);
                Assert.Equal(TResult.ResultOk, rig.Process(Max));
                result.AddRange(rig.Output(0, 0, Max));
                rig.Events.AddNoteOn(100, 0, 67, 0.7f, noteId: 2);
                rig.Events.AddNoteOff(180, 0, 60, 0f, noteId: 1);
                Assert.Equal(TResult.ResultOk, rig.Process(Max));
                result.AddRange(rig.Output(0, 0, Max));
            }
            return [.. result];
        }
        var whole = Run(oversize: true);
        Assert.Equal(0, DirectRig.Peak(whole.AsSpan(0, 40)));
        Assert.True(DirectRig.Peak(whole) > 0.1);
        Assert.Equal(Run(oversize: false), whole);
    }
}
