using System.Runtime.CompilerServices;
using NPlug.Buffers.Concurrency;

namespace NPlug.Buffers.Tests.Concurrency;

public sealed class TripleBufferTests
{
    /// <summary>A 64-byte payload whose last field checks the others, so any torn copy is detected.</summary>
    public struct Snapshot
    {
        public long Sequence;
        public long A, B, C, D, E, F;
        public long Checksum;

        public static Snapshot Make(long seq)
        {
            var s = new Snapshot { Sequence = seq, A = seq * 3, B = seq ^ 0x5555, C = -seq, D = seq << 7, E = seq * seq, F = ~seq };
            s.Checksum = s.Compute();
            return s;
        }

        public readonly long Compute() => unchecked(Sequence * 31 + A * 17 + B * 13 + C * 11 + D * 7 + E * 5 + F * 3);
    }

    [Fact]
    public void Reader_GetsLatestPublished_OrInitial()
    {
        var tb = new TripleBuffer<int>(-1);
        Assert.Equal(-1, tb.Read());
        Assert.False(tb.HasNewData);
        tb.Publish(1);
        tb.Publish(2);
        Assert.True(tb.HasNewData);
        Assert.Equal(2, tb.Read());
        Assert.False(tb.HasNewData);
        Assert.Equal(2, tb.Read()); // unchanged until the next publication
        Assert.False(tb.TryReadNew(out _));
        tb.WriteBuffer = 3;
        tb.Publish();
        Assert.True(tb.TryReadNew(out int v));
        Assert.Equal(3, v);
        Assert.Equal(3, tb.PublishedCount);
    }

    [Fact]
    public void TwoThreads_NeverTorn_NeverGoesBack_EndsOnTheLastValue()
    {
        const long publications = 1_000_000;
        var tb = new TripleBuffer<Snapshot>(Snapshot.Make(0));
        int torn = 0;
        int backwards = 0;
        long reads = 0;
        int writerDone = 0;
        var reader = new Thread(() =>
        {
            long last = 0;
            while (true)
            {
                bool finished = Volatile.Read(ref writerDone) != 0;
                ref readonly Snapshot s = ref tb.Read();
                if (s.Checksum != s.Compute()) torn++;
                if (s.Sequence < last) backwards++;
                last = s.Sequence;
                reads++;
                if (finished) break;
            }

            Assert.Equal(publications, last);
        });
        reader.Start();
        for (long i = 1; i <= publications; i++)
        {
            // Write field by field into the writer's slot, as a real producer would.
            ref Snapshot w = ref tb.WriteBuffer;
            w.Sequence = i;
            w.A = i * 3;
            w.B = i ^ 0x5555;
            w.C = -i;
            w.D = i << 7;
            w.E = i * i;
            w.F = ~i;
            w.Checksum = w.Compute();
            tb.Publish();
        }

        Volatile.Write(ref writerDone, 1);
        reader.Join();
        Assert.Equal(0, torn);
        Assert.Equal(0, backwards);
        Assert.True(reads > 0);
    }

    [Fact]
    public void ArrayPayloads_ThreeInstances_WriterNeverTouchesTheReadersArray()
    {
        var tb = new TripleBuffer<float[]>(new float[256], new float[256], new float[256]);
        int bad = 0;
        int done = 0;
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                float[] a = tb.Read();
                float first = a[0];
                for (int i = 1; i < a.Length; i++) if (a[i] != first) { bad++; break; }
            }
        });
        reader.Start();
        for (int v = 1; v <= 100_000; v++)
        {
            Array.Fill(tb.WriteBuffer, v);
            tb.Publish();
        }

        Volatile.Write(ref done, 1);
        reader.Join();
        Assert.Equal(0, bad);
        Assert.Equal(100_000f, tb.Read()[255]);
    }

    [Fact]
    public void ReadAndPublish_AllocateNothing()
    {
        var tb = new TripleBuffer<Snapshot>();
        tb.Publish(Snapshot.Make(1));
        _ = tb.Read();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            tb.Publish(Snapshot.Make(i));
            _ = tb.Read();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(Unsafe.SizeOf<Snapshot>() == 64);
    }
}
