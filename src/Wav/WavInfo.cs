namespace NPlug.Buffers.Wav; public static class WavInfo { public const string Name = "wav"; }
