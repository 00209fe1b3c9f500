using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Parameters;
using NPlug.Buffers.Plugin.State;

namespace NPlug.Buffers.Plugin.Common;

/// <summary>
/// Controller of either plugin class: the parameters of its <see cref="ParameterLayout"/>, and
/// <c>setComponentState</c> reading the processor's state blob with the same all-or-nothing rules (a refused blob
/// leaves every parameter as it was). The controller has no state of its own; its <c>getState</c> writes nothing.
/// </summary>
public abstract class PluginController : EditController
{
    private readonly ParameterLayout _layout;
    private readonly ushort _stateTag;

    protected PluginController(ParameterLayout layout, ushort stateTag)
    {
        _layout = layout;
        _stateTag = stateTag;
    }

    protected override void ConfigureParameters(ParameterList parameters)
    {
        foreach (var definition in _layout.All) parameters.Add(new ModelParameter(definition));
    }

    protected override void OnSetComponentState(Stream stream)
    {
        var values = new double[_layout.Count];
        for (int i = 0; i < values.Length; i++) values[i] = Parameters[i].NormalizedValue;
        if (!StateStream.TryRead(stream, _layout, _stateTag, values))
            throw new InvalidDataException("Not a valid NPlug.Buffers state for this class.");
        for (int i = 0; i < values.Length; i++)
            if (!_layout[i].IsReadOnly) Parameters[i].NormalizedValue = values[i];
    }
}
