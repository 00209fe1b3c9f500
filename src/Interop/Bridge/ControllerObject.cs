using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// Exposes an <see cref="EditController"/> as a VST3 controller class: IEditController (+IPluginBase),
/// IConnectionPoint and IUnitInfo (root unit plus the declared units; no program lists).
/// </summary>
public sealed unsafe class ControllerObject : PluginPartObject
{
    private static readonly ComInterface[] s_interfaces =
    [
        new((nint)Vtables.EditController, Iids.IEditController, Iids.IPluginBase),
        new((nint)ConnectionPointVtable, Iids.IConnectionPoint),
        new((nint)Vtables.UnitInfo, Iids.IUnitInfo),
    ];

    private NativeComponentHandler? _handler;
    private int _selectedUnit;

    public ControllerObject(EditController controller)
        : base(s_interfaces)
    {
        Controller = controller ?? throw new ArgumentNullException(nameof(controller));
    }

    public EditController Controller { get; }

    private protected override PluginComponentBase Part => Controller;

    protected override void OnFinalRelease()
    {
        if (Controller.IsInitialized) Controller.Terminate();
        ReleaseHost();
    }

    private void ReleaseHost()
    {
        Controller.SetComponentHandler(null);
        _handler?.Release();
        _handler = null;
        Host.ReleaseAll(Controller);
    }

    private int Initialize(void* context)
    {
        if (Controller.IsInitialized) return TResult.ResultFalse;
        Host.SetContext(context);
        Controller.HostName = HostApplicationCalls.GetName(Host.HostApplication);
        int r = Controller.Initialize();
        if (r != TResult.ResultOk) ReleaseHost();
        return r;
    }

    private int Terminate()
    {
        int r = Controller.Terminate();
        ReleaseHost();
        return r;
    }

    private int SetComponentHandler(void* handler)
    {
        if (_handler is not null && _handler.Pointer == handler) return TResult.ResultTrue;
        var previous = _handler;
        _handler = handler == null ? null : new NativeComponentHandler(handler);
        Controller.SetComponentHandler(_handler);
        previous?.Release();
        return TResult.ResultTrue;
    }

    private static int WithStream(void* stream, Func<Stream, int> call)
    {
        if (stream == null) return TResult.InvalidArgument;
        using var s = new HostStream(stream);
        return call(s);
    }

    private int GetUnitInfo(int index, UnitInfo* info)
    {
        if (info == null) return TResult.InvalidArgument;
        if (index == 0)
        {
            UnitInfo root = default;
            root.Id = Units.RootUnitId;
            root.ParentUnitId = Units.NoParentUnitId;
            AbiStrings.Write(ref root.Name, "Root");
            root.ProgramListId = Units.NoProgramListId;
            *info = root;
            return TResult.ResultOk;
        }
        var units = Controller.Units;
        if ((uint)(index - 1) >= (uint)units.Count) return TResult.InvalidArgument;
        var u = units[index - 1];
        UnitInfo result = default;
        result.Id = u.Id;
        result.ParentUnitId = u.ParentUnitId;
        AbiStrings.Write(ref result.Name, u.Name);
        result.ProgramListId = u.ProgramListId;
        *info = result;
        return TResult.ResultOk;
    }

    internal static class Vtables
    {
        public static readonly IEditControllerVtbl* EditController = BuildController();
        public static readonly IUnitInfoVtbl* UnitInfo = BuildUnitInfo();

        private static IEditControllerVtbl* BuildController()
        {
            var v = AllocateVtable<IEditControllerVtbl>();
            v->PluginBase.Initialize = &InitializeThunk;
            v->PluginBase.Terminate = &TerminateThunk;
            v->SetComponentState = &SetComponentStateThunk;
            v->SetState = &SetStateThunk;
            v->GetState = &GetStateThunk;
            v->GetParameterCount = &GetParameterCountThunk;
            v->GetParameterInfo = &GetParameterInfoThunk;
            v->GetParamStringByValue = &GetParamStringByValueThunk;
            v->GetParamValueByString = &GetParamValueByStringThunk;
            v->NormalizedParamToPlain = &NormalizedParamToPlainThunk;
            v->PlainParamToNormalized = &PlainParamToNormalizedThunk;
            v->GetParamNormalized = &GetParamNormalizedThunk;
            v->SetParamNormalized = &SetParamNormalizedThunk;
            v->SetComponentHandler = &SetComponentHandlerThunk;
            v->CreateView = &CreateViewThunk;
            return v;
        }

        private static IUnitInfoVtbl* BuildUnitInfo()
        {
            var v = AllocateVtable<IUnitInfoVtbl>();
            v->GetUnitCount = &GetUnitCountThunk;
            v->GetUnitInfo = &GetUnitInfoThunk;
            v->GetProgramListCount = &GetProgramListCountThunk;
            v->GetProgramListInfo = &GetProgramListInfoThunk;
            v->GetProgramName = &GetProgramNameThunk;
            v->GetProgramInfo = &GetProgramInfoThunk;
            v->HasProgramPitchNames = &HasProgramPitchNamesThunk;
            v->GetProgramPitchName = &GetProgramPitchNameThunk;
            v->GetSelectedUnit = &GetSelectedUnitThunk;
            v->SelectUnit = &SelectUnitThunk;
            v->GetUnitByBus = &GetUnitByBusThunk;
            v->SetUnitProgramData = &SetUnitProgramDataThunk;
            return v;
        }
    }

    private static ControllerObject Self(void* self) => FromThis<ControllerObject>(self);

    [UnmanagedCallersOnly]
    private static int InitializeThunk(void* self, void* context)
    {
        try { return Self(self).Initialize(context); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int TerminateThunk(void* self)
    {
        try { return Self(self).Terminate(); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetComponentStateThunk(void* self, void* stream)
    {
        try { return WithStream(stream, Self(self).Controller.SetComponentState); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetStateThunk(void* self, void* stream)
    {
        try { return WithStream(stream, Self(self).Controller.SetState); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetStateThunk(void* self, void* stream)
    {
        try { return WithStream(stream, Self(self).Controller.GetState); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetParameterCountThunk(void* self)
    {
        try { return Self(self).Controller.GetParameterCount(); } catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static int GetParameterInfoThunk(void* self, int index, ParameterInfo* info)
    {
        try
        {
            if (info == null) return TResult.InvalidArgument;
            int r = Self(self).Controller.GetParameterInfo(index, out var i);
            if (r == TResult.ResultOk) *info = i;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetParamStringByValueThunk(void* self, uint id, double value, char* text)
    {
        try
        {
            if (text == null) return TResult.InvalidArgument;
            int r = Self(self).Controller.GetParamStringByValue(id, value, out string s);
            AbiStrings.WriteString128(text, r == TResult.ResultOk ? s : string.Empty);
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetParamValueByStringThunk(void* self, uint id, char* text, double* value)
    {
        try
        {
            if (text == null || value == null) return TResult.InvalidArgument;
            int r = Self(self).Controller.GetParamValueByString(id, AbiStrings.ReadString128(text), out double v);
            if (r == TResult.ResultOk) *value = v;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static double NormalizedParamToPlainThunk(void* self, uint id, double value)
    {
        try { return Self(self).Controller.NormalizedParamToPlain(id, value); } catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static double PlainParamToNormalizedThunk(void* self, uint id, double value)
    {
        try { return Self(self).Controller.PlainParamToNormalized(id, value); } catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static double GetParamNormalizedThunk(void* self, uint id)
    {
        try { return Self(self).Controller.GetParamNormalized(id); } catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static int SetParamNormalizedThunk(void* self, uint id, double value)
    {
        try { return Self(self).Controller.SetParamNormalized(id, value); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetComponentHandlerThunk(void* self, void* handler)
    {
        try { return Self(self).SetComponentHandler(handler); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static void* CreateViewThunk(void* self, byte* name) => null; // no editor

    // IUnitInfo
    [UnmanagedCallersOnly]
    private static int GetUnitCountThunk(void* self)
    {
        try { return 1 + Self(self).Controller.Units.Count; } catch { return 1; }
    }

    [UnmanagedCallersOnly]
    private static int GetUnitInfoThunk(void* self, int index, UnitInfo* info)
    {
        try { return Self(self).GetUnitInfo(index, info); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetProgramListCountThunk(void* self) => 0;

    [UnmanagedCallersOnly]
    private static int GetProgramListInfoThunk(void* self, int index, ProgramListInfo* info) => TResult.InvalidArgument;

    [UnmanagedCallersOnly]
    private static int GetProgramNameThunk(void* self, int listId, int index, char* name) => TResult.InvalidArgument;

    [UnmanagedCallersOnly]
    private static int GetProgramInfoThunk(void* self, int listId, int index, byte* attribute, char* value) => TResult.InvalidArgument;

    [UnmanagedCallersOnly]
    private static int HasProgramPitchNamesThunk(void* self, int listId, int index) => TResult.ResultFalse;

    [UnmanagedCallersOnly]
    private static int GetProgramPitchNameThunk(void* self, int listId, int index, short pitch, char* name) => TResult.ResultFalse;

    [UnmanagedCallersOnly]
    private static int GetSelectedUnitThunk(void* self)
    {
        try { return Self(self)._selectedUnit; } catch { return Units.RootUnitId; }
    }

    [UnmanagedCallersOnly]
    private static int SelectUnitThunk(void* self, int unitId)
    {
        try
        {
            var o = Self(self);
            if (unitId != Units.RootUnitId && !o.Controller.Units.Any(u => u.Id == unitId)) return TResult.InvalidArgument;
            o._selectedUnit = unitId;
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetUnitByBusThunk(void* self, int type, int dir, int busIndex, int channel, int* unitId) => TResult.ResultFalse;

    [UnmanagedCallersOnly]
    private static int SetUnitProgramDataThunk(void* self, int listOrUnitId, int programIndex, void* data) => TResult.NotImplemented;
}
