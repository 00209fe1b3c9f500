using System.Runtime.CompilerServices;

// Tests read the cascade's recursive state (denormal / NaN recovery checks) without widening the public API.
[assembly: InternalsVisibleTo("NPlug.Buffers.Core.Tests")]
