namespace NPlug.Buffers.TestPlugin; internal static class Placeholder { }
