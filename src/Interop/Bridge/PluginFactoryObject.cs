using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// IPluginFactory/2/3 over a <see cref="PluginFactoryDescription"/>. One 10-slot vtable answers all
/// three factory IIDs (each is a prefix of the next). <c>createInstance</c> goes through the same
/// checked queryInterface as everything else, so an unknown iid yields null + kNoInterface.
/// </summary>
public sealed unsafe class PluginFactoryObject : ComObject
{
    private static readonly ComInterface[] s_interfaces =
        [new((nint)Vtables.Factory, Iids.IPluginFactory, Iids.IPluginFactory2, Iids.IPluginFactory3)];

    private readonly Tuid[] _cids;
    private HostPointer _hostContext;

    public PluginFactoryObject(PluginFactoryDescription description)
        : base(s_interfaces)
    {
        Description = description ?? throw new ArgumentNullException(nameof(description));
        _cids = new Tuid[description.Classes.Count];
        for (int i = 0; i < _cids.Length; i++) _cids[i] = Tuid.FromGuid(description.Classes[i].ClassId);
    }

    public PluginFactoryDescription Description { get; }

    /// <summary>Raised when the last reference is released (lets a module-level singleton forget it).</summary>
    internal Action<PluginFactoryObject>? Destroyed { get; set; }

    protected override void OnFinalRelease()
    {
        _hostContext.Clear();
        Destroyed?.Invoke(this);
    }

    private int GetFactoryInfo(PFactoryInfo* info)
    {
        if (info == null) return TResult.InvalidArgument;
        PFactoryInfo f = default;
        AbiStrings.Write(ref f.Vendor, Description.Vendor);
        AbiStrings.Write(ref f.Url, Description.Url);
        AbiStrings.Write(ref f.Email, Description.Email);
        f.Flags = Description.Flags;
        *info = f;
        return TResult.ResultOk;
    }

    private PluginClassDescription? ClassAt(int index) =>
        (uint)index < (uint)Description.Classes.Count ? Description.Classes[index] : null;

    private int GetClassInfo(int index, PClassInfo* info)
    {
        if (info == null) return TResult.InvalidArgument;
        if (ClassAt(index) is not { } c) return TResult.InvalidArgument;
        PClassInfo r = default;
        r.Cid = _cids[index];
        r.Cardinality = c.Cardinality;
        AbiStrings.Write(ref r.Category, c.Category);
        AbiStrings.Write(ref r.Name, c.Name);
        *info = r;
        return TResult.ResultOk;
    }

    private int GetClassInfo2(int index, PClassInfo2* info)
    {
        if (info == null) return TResult.InvalidArgument;
        if (ClassAt(index) is not { } c) return TResult.InvalidArgument;
        PClassInfo2 r = default;
        r.Cid = _cids[index];
        r.Cardinality = c.Cardinality;
        AbiStrings.Write(ref r.Category, c.Category);
        AbiStrings.Write(ref r.Name, c.Name);
        r.ClassFlags = c.ClassFlags;
        AbiStrings.Write(ref r.SubCategories, c.SubCategories);
        AbiStrings.Write(ref r.Vendor, c.Vendor);
        AbiStrings.Write(ref r.Version, c.Version);
        AbiStrings.Write(ref r.SdkVersion, c.SdkVersion);
        *info = r;
        return TResult.ResultOk;
    }

    private int GetClassInfoUnicode(int index, PClassInfoW* info)
    {
        if (info == null) return TResult.InvalidArgument;
        if (ClassAt(index) is not { } c) return TResult.InvalidArgument;
        PClassInfoW r = default;
        r.Cid = _cids[index];
        r.Cardinality = c.Cardinality;
        AbiStrings.Write(ref r.Category, c.Category);
        AbiStrings.Write(ref r.Name, c.Name);
        r.ClassFlags = c.ClassFlags;
        AbiStrings.Write(ref r.SubCategories, c.SubCategories);
        AbiStrings.Write(ref r.Vendor, c.Vendor);
        AbiStrings.Write(ref r.Version, c.Version);
        AbiStrings.Write(ref r.SdkVersion, c.SdkVersion);
        *info = r;
        return TResult.ResultOk;
    }

    private int CreateInstance(Tuid* cid, Tuid* iid, void** obj)
    {
        if (obj == null) return TResult.InvalidArgument;
        *obj = null;
        if (cid == null || iid == null) return TResult.InvalidArgument;
        int index = Array.FindIndex(_cids, c => c.Equals(*cid));
        if (index < 0) return TResult.NoInterface;
        var description = Description.Classes[index];

        ComObject instance = description.Create() switch
        {
            AudioProcessor p => new ComponentObject(p, description.ControllerClassId),
            EditController c => new ControllerObject(c),
            var other => throw new InvalidOperationException($"Class '{description.Name}' created an unsupported object {other?.GetType().Name ?? "null"}."),
        };
        // Created with 1; QI adds the host's reference; dropping ours leaves exactly one, owned by the caller.
        int r = instance.QueryInterface(iid, obj);
        instance.Release();
        return r;
    }

    internal static class Vtables
    {
        public static readonly IPluginFactory3Vtbl* Factory = Build();

        private static IPluginFactory3Vtbl* Build()
        {
            var v = AllocateVtable<IPluginFactory3Vtbl>();
            v->Factory2.Factory.GetFactoryInfo = &GetFactoryInfoThunk;
            v->Factory2.Factory.CountClasses = &CountClassesThunk;
            v->Factory2.Factory.GetClassInfo = &GetClassInfoThunk;
            v->Factory2.Factory.CreateInstance = &CreateInstanceThunk;
            v->Factory2.GetClassInfo2 = &GetClassInfo2Thunk;
            v->GetClassInfoUnicode = &GetClassInfoUnicodeThunk;
            v->SetHostContext = &SetHostContextThunk;
            return v;
        }
    }

    private static PluginFactoryObject Self(void* self) => FromThis<PluginFactoryObject>(self);

    [UnmanagedCallersOnly]
    private static int GetFactoryInfoThunk(void* self, PFactoryInfo* info)
    {
        try { return Self(self).GetFactoryInfo(info); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int CountClassesThunk(void* self)
    {
        try { return Self(self).Description.Classes.Count; } catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfoThunk(void* self, int index, PClassInfo* info)
    {
        try { return Self(self).GetClassInfo(index, info); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int CreateInstanceThunk(void* self, Tuid* cid, Tuid* iid, void** obj)
    {
        try { return Self(self).CreateInstance(cid, iid, obj); }
        catch (Exception e)
        {
            if (obj != null) *obj = null;
            return TResult.FromException(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfo2Thunk(void* self, int index, PClassInfo2* info)
    {
        try { return Self(self).GetClassInfo2(index, info); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfoUnicodeThunk(void* self, int index, PClassInfoW* info)
    {
        try { return Self(self).GetClassInfoUnicode(index, info); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetHostContextThunk(void* self, void* context)
    {
        try
        {
            Self(self)._hostContext.Set(context);
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
