using System.Runtime.CompilerServices;

// Tests read internal state (the cascade's recursive state for denormal/NaN checks, pool slot internals for
// ABA and ownership checks) without widening the public API.
[assembly: InternalsVisibleTo("NPlug.Buffers.Core.Tests")]
