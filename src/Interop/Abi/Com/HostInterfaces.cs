using System.Text;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>Calls on a host <c>IHostApplication</c>.</summary>
public static unsafe class HostApplicationCalls
{
    public static string GetName(void* app)
    {
        if (app == null) return string.Empty;
        char* name = stackalloc char[String128.Length];
        name[0] = '\0';
        return Vtbl.Of<IHostApplicationVtbl>(app)->GetName(app, name) == TResult.ResultOk ? AbiStrings.ReadString128(name) : string.Empty;
    }

    /// <summary>Creates a host <c>IMessage</c> (owned by the caller: release it after use), or null.</summary>
    public static void* CreateMessage(void* app)
    {
        if (app == null) return null;
        void* obj = null;
        var iid = Iids.IMessage.Pointer;
        int r = Vtbl.Of<IHostApplicationVtbl>(app)->CreateInstance(app, iid, iid, &obj);
        return r == TResult.ResultOk ? obj : null;
    }
}

/// <summary>UTF-8 NUL-terminated keys for <c>IAttributeList</c>/<c>IMessage</c> (UI thread; allocates).</summary>
internal static class CStrings
{
    public static byte[] Of(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
