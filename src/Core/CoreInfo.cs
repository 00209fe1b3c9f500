namespace NPlug.Buffers; public static class CoreInfo { public const string Name = "core"; }
