using NPlug.Buffers.Chain;

namespace NPlug.Buffers.Tests.Chain;

public class ParameterLineTests
{
    [Fact]
    public void LineAtEqualsValueAtBitForBitInsideEverySegment()
    {
        var rng = new Random(21);
        var segments = new AutomationSegments(6, 8);
        for (int block = 0; block < 500; block++)
        {
            int frames = 1 + rng.Next(600);
            segments.Begin(frames);
            for (int p = 0; p < 6; p++)
            {
                segments.SetCurrent(p, rng.NextDouble() * 200 - 100);
                int points = rng.Next(0, 10); // beyond 8 the last point is replaced
                var offsets = Enumerable.Range(0, points).Select(_ => rng.Next(0, frames)).Order().ToArray();
                if (rng.Next(4) == 0 && points > 1) offsets[1] = offsets[0]; // a step
                foreach (int o in offsets) segments.AddPoint(p, o, rng.NextDouble() * 200 - 100);
            }
            segments.Build();
            foreach (var segment in segments.Segments)
                for (int p = 0; p < 6; p++)
                {
                    var line = segments.Line(p, segment);
                    for (int n = segment.Start; n < segment.End; n++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(segments.ValueAt(p, n)), BitConverter.DoubleToInt64Bits(line.At(n)));
                }
        }
    }
}
