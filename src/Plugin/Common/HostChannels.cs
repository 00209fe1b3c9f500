using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Plugin.Common;

/// <summary>The host's channel-pointer array of a bus at the block's precision, for buffer storage.</summary>
internal static unsafe class HostChannels
{
    public static T** Of<T>(AudioBusView bus) where T : unmanaged =>
        typeof(T) == typeof(float) ? (T**)bus.ChannelArray32 : (T**)bus.ChannelArray64;
}
