using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// The controller of every model-based plugin, generated from the model: its parameters (strings, conversions and
/// list mappings are the model's), and <c>setComponentState</c> reading the processor's blob with the same
/// all-or-nothing rules through buffers sized from the model (a refused blob leaves every parameter as it was). It has
/// no state of its own; <c>getState</c> writes nothing.
/// </summary>
public sealed class PluginController : EditController
{
    private readonly StateBuffer _state;
    private readonly double[] _decoded;

    public PluginController(AudioPluginModel model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _state = new StateBuffer(model.Parameters, model.StateTag, model.CreateStateSection());
        _decoded = new double[model.Parameters.Count];
    }

    public AudioPluginModel Model { get; }

    protected override void ConfigureParameters(ParameterList parameters)
    {
        foreach (var p in Model.Parameters.All) parameters.Add(p);
    }

    protected override bool OnSetComponentState(Stream stream, Span<double> values)
    {
        values.CopyTo(_decoded);
        if (!_state.TryRead(stream, _decoded, applySection: false)) return false;
        // Meters are the processor's to report; the blob does not carry them.
        for (int i = 0; i < _decoded.Length; i++)
            if (!Model.Parameters[i].IsReadOnly) values[i] = _decoded[i];
        return true;
    }
}

/// <summary>Registration of model-based plugins.</summary>
public static class PluginFactoryExtensions
{
    /// <summary>
    /// Registers a model-based plugin: its processor (<see cref="PluginProcessor"/>) and its controller
    /// (<see cref="PluginController"/>), both built from <paramref name="model"/>.
    /// </summary>
    public static PluginFactoryDescription Add(this PluginFactoryDescription factory, AudioPluginModel model)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(model);
        factory.AddProcessor(model.ProcessorClassId, model.Name, model.SubCategories, model.ControllerClassId,
            () => new PluginProcessor(model), model.Version, model.ClassFlags);
        factory.AddController(model.ControllerClassId, model.Name + " Controller", () => new PluginController(model), model.Version);
        return factory;
    }
}
