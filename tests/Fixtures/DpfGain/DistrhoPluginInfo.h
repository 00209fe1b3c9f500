// Compile-time description of the DpfGain test fixture, read by DPF's plugin glue.
#ifndef DISTRHO_PLUGIN_INFO_H_INCLUDED
#define DISTRHO_PLUGIN_INFO_H_INCLUDED

#define DISTRHO_PLUGIN_BRAND   "NPlugBuffersTests"
#define DISTRHO_PLUGIN_NAME    "DpfGain"
#define DISTRHO_PLUGIN_URI     "urn:nplug-buffers:tests:dpfgain"
#define DISTRHO_PLUGIN_BRAND_ID NpBt
#define DISTRHO_PLUGIN_UNIQUE_ID DpGn

#define DISTRHO_PLUGIN_HAS_UI        0
#define DISTRHO_PLUGIN_IS_RT_SAFE    1
#define DISTRHO_PLUGIN_NUM_INPUTS    2
#define DISTRHO_PLUGIN_NUM_OUTPUTS   2
#define DISTRHO_PLUGIN_VST3_CATEGORIES "Fx|Tools"

#endif
