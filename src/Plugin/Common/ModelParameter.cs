using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Parameters;

namespace NPlug.Buffers.Plugin.Common;

/// <summary>
/// Presents a <see cref="ParameterDefinition"/> to the controller API. Value strings carry their unit ("-6.0 dB"), so
/// a host that shows only the string still shows the unit; parsing accepts the text with or without it.
/// </summary>
public sealed class ModelParameter : Parameter
{
    public ModelParameter(ParameterDefinition definition)
        : base(definition.Id, definition.Title, definition.Units, definition.StepCount, definition.DefaultNormalized, (int)definition.Flags)
    {
        Definition = definition;
        ShortTitle = definition.ShortTitle;
    }

    public ParameterDefinition Definition { get; }

    public override double ToPlain(double normalized) => Definition.ToPlain(normalized);

    public override double ToNormalized(double plain) => Definition.ToNormalized(plain);

    public override string Format(double normalized) => Definition.Format(normalized);

    public override bool TryParse(string text, out double normalized) => Definition.TryParse(text, out normalized);
}
