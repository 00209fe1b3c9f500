namespace NPlug.Buffers.Tests; public class InteropSmoke { [Fact] public void Loads() => Assert.Equal("interop", NPlug.Buffers.Interop.InteropInfo.Name); }
