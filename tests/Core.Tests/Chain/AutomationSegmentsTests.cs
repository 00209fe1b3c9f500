using NPlug.Buffers.Chain;

namespace NPlug.Buffers.Tests.Chain;

public class AutomationSegmentsTests
{
    /// <summary>Brute-force forward construction of the VST3 piece-wise linear curve, sample by sample.</summary>
    internal static double[] ReferenceCurve(double current, IReadOnlyList<(int Offset, double Value)> points, int frames)
    {
        var curve = new double[frames];
        int fromOffset = 0;
        double fromValue = current;
        foreach (var (o, v) in points)
        {
            for (int n = fromOffset; n < o; n++) curve[n] = fromValue + (v - fromValue) * (n - fromOffset) / (o - fromOffset);
            fromOffset = o;
            fromValue = v;
        }
        for (int n = fromOffset; n < frames; n++) curve[n] = fromValue;
        return curve;
    }

    internal static List<(int, double)> RandomQueue(Random rng, int frames, int maxPoints)
    {
        int count = rng.Next(0, maxPoints + 1);
        var offsets = new List<int>();
        for (int i = 0; i < count; i++) offsets.Add(rng.Next(0, frames));
        offsets.Sort();
        var list = new List<(int, double)>();
        foreach (int o in offsets) list.Add((o, Math.Round(rng.NextDouble() * 48 - 36, 3)));
        return list;
    }

    [Fact]
    public void RandomQueuesSplitAtEveryChangePointAndAreLinearInsideSegments()
    {
        var rng = new Random(1234);
        const int parameters = 5;
        var segments = new AutomationSegments(parameters, 16);
        for (int trial = 0; trial < 500; trial++)
        {
            int frames = rng.Next(1, 700);
            segments.Begin(frames);
            var curves = new double[parameters][];
            var expectedSplits = new SortedSet<int>();
            for (int p = 0; p < parameters; p++)
            {
                double current = rng.NextDouble() * 10 - 5;
                var queue = RandomQueue(rng, frames, rng.Next(0, 4) == 0 ? 0 : 8);
                segments.SetCurrent(p, current);
                foreach (var (o, v) in queue)
                {
                    Assert.True(segments.AddPoint(p, o, v));
                    if (o > 0) expectedSplits.Add(o);
                }
                curves[p] = ReferenceCurve(current, queue, frames);
            }

            int count = segments.Build();
            var segs = segments.Segments;
            Assert.Equal(expectedSplits.Count + 1, count);
            Assert.Equal(0, segs[0].Start);
            Assert.Equal(frames, segs[count - 1].End);
            var starts = new List<int>();
            for (int i = 0; i < count; i++)
            {
                var s = segs[i];
                Assert.True(s.Length > 0);
                if (i > 0)
                {
                    Assert.Equal(segs[i - 1].End, s.Start);
                    starts.Add(s.Start);
                }
                for (int p = 0; p < parameters; p++)
                {
                    double a = segments.StartValue(p, s), b = segments.EndValue(p, s);
                    Near(curves[p][s.Start], a);
                    Near(curves[p][s.End - 1], b);
                    for (int n = s.Start; n < s.End; n++)
                    {
                        double line = s.Length == 1 ? a : a + (b - a) * (n - s.Start) / (s.Length - 1);
                        Assert.True(Math.Abs(line - curves[p][n]) < 1e-9, $"trial {trial} p {p} n {n}: {line} vs {curves[p][n]}");
                        Near(curves[p][n], segments.ValueAt(p, n));
                    }
                }
            }
            Assert.Equal(expectedSplits, starts);

            segments.Commit();
            for (int p = 0; p < parameters; p++) Near(curves[p][frames - 1], segments.GetCurrent(p));
        }
    }

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{actual} vs {expected}");

    [Fact]
    public void OmittedPointAtZeroRampsFromThePreviousValue()
    {
        var s = new AutomationSegments(1, 4);
        s.Begin(100);
        s.SetCurrent(0, 0);
        s.AddPoint(0, 50, 10);
        Assert.Equal(2, s.Build());
        Assert.Equal(0.0, s.ValueAt(0, 0));
        Assert.Equal(5.0, s.ValueAt(0, 25), 12);
        Assert.Equal(10.0, s.ValueAt(0, 50));
        Assert.Equal(10.0, s.ValueAt(0, 99));
        Assert.Equal(new AutomationSegment(0, 50), s.Segments[0]);
        Assert.Equal(new AutomationSegment(50, 100), s.Segments[1]);
        Assert.False(s.IsRamping(0, s.Segments[1]));
    }

    [Fact]
    public void NoPointsIsOneConstantSegment()
    {
        var s = new AutomationSegments(3, 4);
        s.Begin(64);
        s.SetCurrent(1, 7);
        Assert.Equal(1, s.Build());
        Assert.Equal(7.0, s.StartValue(1, s.Segments[0]));
        Assert.Equal(7.0, s.EndValue(1, s.Segments[0]));
    }

    [Fact]
    public void ExcessAndBrokenPointsAreRepairedNotThrown()
    {
        var s = new AutomationSegments(1, 4);
        s.Begin(128);
        s.SetCurrent(0, 1);
        int accepted = 0;
        for (int i = 0; i < 10; i++) if (s.AddPoint(0, i * 10, i)) accepted++;
        Assert.Equal(4, accepted);               // later points overwrite the last slot
        Assert.Equal(4, s.PointCount(0));
        Assert.True(s.RepairedPointCount(0) > 0);
        s.Build();
        Assert.Equal(9.0, s.ValueAt(0, 127));     // the host's final value survives

        s.Begin(64);
        s.Begin(64);
        s.AddPoint(0, 40, 2);
        Assert.False(s.AddPoint(0, 10, 3));       // out of order -> moved to 40
        Assert.False(s.AddPoint(0, 1000, 4));     // beyond the block -> clamped to 63
        Assert.False(s.AddPoint(0, -5, 5));       // negative -> moved to the previous offset
        Assert.False(s.AddPoint(0, 5, double.NaN));
        s.Build();
        foreach (var seg in s.Segments) Assert.True(seg.Start >= 0 && seg.End <= 64 && seg.Length > 0);
        Assert.Equal(5.0, s.ValueAt(0, 63));
        Assert.False(s.AddPoint(7, 0, 1));        // unknown parameter
    }

    [Fact]
    public void StepsAtDuplicateOffsetsArriveThenJump()
    {
        var s = new AutomationSegments(1, 8);
        s.Begin(40);
        s.SetCurrent(0, 0);
        s.AddPoint(0, 20, 1);
        s.AddPoint(0, 20, -1);
        s.Build();
        Assert.Equal(0.95, s.ValueAt(0, 19), 12);
        Assert.Equal(-1.0, s.ValueAt(0, 20));
        Assert.Equal(2, s.SegmentCount);
    }

    [Fact]
    public void SubBlocksAreAtMost32AndCoverTheRange()
    {
        for (int start = 0; start < 5; start++)
        for (int end = start; end < 200; end += 7)
        {
            int next = start;
            foreach (var sub in AutomationSegments.SubBlocks(start, end))
            {
                Assert.Equal(next, sub.Start);
                Assert.InRange(sub.Length, 1, 32);
                next = sub.End;
            }
            Assert.Equal(end, next);
        }
    }

    [Fact]
    public void BuildAndEvaluateDoNotAllocate()
    {
        var s = new AutomationSegments(8, 32);
        Assert.Equal(0, AllocationProbe.BytesAllocated(s, Run, 10000));
    }

    private static double s_sink;

    private static void Run(AutomationSegments s)
    {
            s.Begin(512);
            for (int p = 0; p < 8; p++)
            {
                s.SetCurrent(p, p);
                for (int k = 0; k < 10; k++) s.AddPoint(p, k * 50 + p, k);
            }
            s.Build();
            double sum = 0;
            foreach (var seg in s.Segments)
            {
                for (int p = 0; p < 8; p++) sum += s.StartValue(p, seg) + s.EndValue(p, seg);
                foreach (var sub in AutomationSegments.SubBlocks(seg)) sum += sub.Length;
            }
            s.Commit();
            s_sink = sum;
    }

    [Fact]
    public void Build_SplitsAtEveryDistinctOffsetAfterZero_BitmapAndMergePaths()
    {
        // Blocks up to 4096 frames take the bitmap path, longer ones the merge; both must give the distinct offsets > 0.
        var rng = new Random(77);
        foreach (int frames in new[] { 1, 2, 63, 64, 65, 127, 128, 1000, 1024, 4095, 4096, 4097, 6000 })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                var s = new AutomationSegments(7, 16);
                s.Begin(frames);
                var expected = new SortedSet<int>();
                for (int p = 0; p < 7; p++)
                {
                    foreach (var (o, v) in RandomQueue(rng, frames, 16))
                    {
                        Assert.True(s.AddPoint(p, o, v));
                        if (o > 0) expected.Add(o);
                    }
                }
                int count = s.Build();
                var bounds = expected.ToList();
                Assert.Equal(bounds.Count + 1, count);
                int start = 0;
                for (int i = 0; i < count; i++)
                {
                    int end = i < bounds.Count ? bounds[i] : frames;
                    Assert.Equal(new AutomationSegment(start, end), s.Segments[i]);
                    start = end;
                }
            }
        }
    }
}
