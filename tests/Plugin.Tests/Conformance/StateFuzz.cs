using NPlug.Buffers.Hosting;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>The state fuzz every plugin class gets: garbage is refused, on both sides, and changes nothing.</summary>
internal static class StateFuzz
{
    /// <summary>
    /// Sets <paramref name="id"/> to 0.3 through a flush (processor) and the controller mirror, then offers 400 random
    /// or corrupted blobs to both; each must be refused and leave that state byte for byte.
    /// </summary>
    public static void AssertGarbageRefused(HostedPlugin plugin, uint id, int seed)
    {
        plugin.StartProcessing(48000, 256, SymbolicSampleSizes.Sample32);
        Assert.Equal(TResult.ResultOk, plugin.Flush(FlushVariant.NoBuffers, id, 0.3));
        plugin.StopProcessing();
        byte[] good = plugin.GetComponentState();
        Assert.Equal(TResult.ResultOk, plugin.SetControllerComponentState(good));
        Assert.Equal(0.3, plugin.GetParamNormalized(id), 12);

        var rng = new Random(seed);
        for (int i = 0; i < 400; i++)
        {
            byte[] bad = i % 2 == 0 ? RandomBytes(rng) : Corrupt(good, rng);
            Assert.Equal(TResult.ResultFalse, plugin.SetComponentState(bad));
            Assert.Equal(TResult.ResultFalse, plugin.SetControllerComponentState(bad));
        }
        Assert.Equal(good, plugin.GetComponentState());
        Assert.Equal(0.3, plugin.GetParamNormalized(id), 12);
        Assert.Equal(TResult.ResultOk, plugin.SetComponentState(good));
    }

    private static byte[] RandomBytes(Random rng)
    {
        var b = new byte[rng.Next(0, 300)];
        rng.NextBytes(b);
        return b;
    }

    private static byte[] Corrupt(byte[] good, Random rng)
    {
        var b = (byte[])good.Clone();
        b[rng.Next(b.Length)] ^= (byte)(1 + rng.Next(255));
        return b;
    }
}
