namespace NPlug.Buffers.Tests; public class PluginSmoke { [Fact] public void Loads() => Assert.NotNull(typeof(NPlug.Buffers.Plugin.Exports)); }
