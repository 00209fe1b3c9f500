namespace NPlug.Buffers.Interop; public static class InteropInfo { public const string Name = "interop"; }
