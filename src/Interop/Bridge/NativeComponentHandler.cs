using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>The host's <c>IComponentHandler</c> (add-ref'd while the controller holds it).</summary>
internal sealed unsafe class NativeComponentHandler : IComponentHandlerSink
{
    private HostPointer _handler;

    public NativeComponentHandler(void* handler) => _handler.Set(handler);

    public void* Pointer => _handler.Value;

    private IComponentHandlerVtbl* V => Vtbl.Of<IComponentHandlerVtbl>(_handler.Value);

    public int BeginEdit(uint parameterId) => _handler.IsNull ? TResult.ResultFalse : V->BeginEdit(_handler.Value, parameterId);

    public int PerformEdit(uint parameterId, double normalizedValue) =>
        _handler.IsNull ? TResult.ResultFalse : V->PerformEdit(_handler.Value, parameterId, normalizedValue);

    public int EndEdit(uint parameterId) => _handler.IsNull ? TResult.ResultFalse : V->EndEdit(_handler.Value, parameterId);

    public int RestartComponent(int flags) => _handler.IsNull ? TResult.ResultFalse : V->RestartComponent(_handler.Value, flags);

    public void Release() => _handler.Clear();
}
