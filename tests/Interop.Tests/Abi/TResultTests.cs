using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Abi;

// Values from funknown.h as printed by a Linux build and the COM HRESULT definitions (shared/vst3-abi.md §2.3).
public class TResultTests
{
    [Fact]
    public void Unix_table()
    {
        var t = TResult.Unix;
        Assert.Equal(-1, t.NoInterface);
        Assert.Equal(0, t.ResultOk);
        Assert.Equal(0, t.ResultTrue);
        Assert.Equal(1, t.ResultFalse);
        Assert.Equal(2, t.InvalidArgument);
        Assert.Equal(3, t.NotImplemented);
        Assert.Equal(4, t.InternalError);
        Assert.Equal(5, t.NotInitialized);
        Assert.Equal(6, t.OutOfMemory);
    }

    [Fact]
    public void Windows_table()
    {
        var t = TResult.Windows;
        Assert.Equal(0x80004002u, (uint)t.NoInterface);
        Assert.Equal(0, t.ResultOk);
        Assert.Equal(0, t.ResultTrue);
        Assert.Equal(1, t.ResultFalse);
        Assert.Equal(0x80070057u, (uint)t.InvalidArgument);
        Assert.Equal(0x80004001u, (uint)t.NotImplemented);
        Assert.Equal(0x80004005u, (uint)t.InternalError);
        Assert.Equal(0x8000FFFFu, (uint)t.NotInitialized);
        Assert.Equal(0x8007000Eu, (uint)t.OutOfMemory);
    }

    [Fact]
    public void Current_table_matches_the_running_os_and_the_shortcuts()
    {
        var expected = OperatingSystem.IsWindows() ? TResult.Windows : TResult.Unix;
        Assert.Equal(expected, TResult.Current);
        Assert.Equal(expected.NoInterface, TResult.NoInterface);
        Assert.Equal(expected.InvalidArgument, TResult.InvalidArgument);
        Assert.Equal(expected.NotImplemented, TResult.NotImplemented);
        Assert.Equal(expected.InternalError, TResult.InternalError);
        Assert.Equal(expected.NotInitialized, TResult.NotInitialized);
        Assert.Equal(expected.OutOfMemory, TResult.OutOfMemory);
    }

    [Fact]
    public void Codes_within_a_table_are_distinct_except_ok_and_true()
    {
        foreach (var t in new[] { TResult.Unix, TResult.Windows })
        {
            int[] codes = [t.NoInterface, t.ResultOk, t.ResultFalse, t.InvalidArgument, t.NotImplemented, t.InternalError, t.NotInitialized, t.OutOfMemory];
            Assert.Equal(codes.Length, codes.Distinct().Count());
        }
    }

    [Fact]
    public void Exceptions_map_to_codes_and_names()
    {
        Assert.Equal(TResult.InvalidArgument, TResult.FromException(new ArgumentOutOfRangeException()));
        Assert.Equal(TResult.NotImplemented, TResult.FromException(new NotSupportedException()));
        Assert.Equal(TResult.InternalError, TResult.FromException(new DivideByZeroException()));
        Assert.Equal("kInvalidArgument", TResult.Unix.NameOf(2));
        Assert.Equal("kNoInterface", TResult.Windows.NameOf(unchecked((int)0x80004002)));
    }
}
