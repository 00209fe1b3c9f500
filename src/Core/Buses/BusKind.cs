namespace NPlug.Buffers.Buses;

/// <summary>Role of a bus: the main signal path or an auxiliary one (sidechain, extra outputs).</summary>
public enum BusKind
{
    Main = 0,
    Aux = 1,
}

/// <summary>Which side of the processor a bus is on. The values are VST3's <c>BusDirections</c> (kInput 0, kOutput 1),
/// so the interop layer passes them through the ABI with a plain cast.</summary>
public enum BusDirection
{
    Input = 0,
    Output = 1,
}
