namespace NPlug.Buffers.Buses;

/// <summary>Role of a bus: the main signal path or an auxiliary one (sidechain, extra outputs).</summary>
public enum BusKind
{
    Main = 0,
    Aux = 1,
}

/// <summary>Which side of the processor a bus is on.</summary>
public enum BusDirection
{
    Input = 0,
    Output = 1,
}
