namespace NPlug.Buffers.Tests;
public class SmokeTests { [Fact] public void CoreLoads() => Assert.Equal("core", CoreInfo.Name); }
