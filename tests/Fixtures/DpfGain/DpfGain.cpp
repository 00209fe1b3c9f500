// A minimal stereo gain written against DPF, so that the host shim can be tested with a VST3 whose
// ABI layer (DPF's "travesty" C headers) has nothing to do with ours.
#include "DistrhoPlugin.hpp"

#include <cmath>

START_NAMESPACE_DISTRHO

class DpfGain : public Plugin
{
public:
    DpfGain() : Plugin(1, 0, 0), fGainDb(0.0f), fGainLinear(1.0f) {}

protected:
    const char* getLabel() const override { return "DpfGain"; }
    const char* getDescription() const override { return "Stereo gain fixture for NPlug.Buffers host tests"; }
    const char* getMaker() const override { return "NPlug.Buffers tests"; }
    const char* getLicense() const override { return "MIT"; }
    uint32_t getVersion() const override { return d_version(1, 0, 0); }
    int64_t getUniqueId() const override { return d_cconst('D', 'p', 'G', 'n'); }

    void initParameter(uint32_t index, Parameter& parameter) override
    {
        if (index != 0)
            return;
        parameter.hints = kParameterIsAutomatable;
        parameter.name = "Gain";
        parameter.symbol = "gain";
        parameter.unit = "dB";
        parameter.ranges.def = 0.0f;
        parameter.ranges.min = -60.0f;
        parameter.ranges.max = 12.0f;
    }

    float getParameterValue(uint32_t index) const override
    {
        return index == 0 ? fGainDb : 0.0f;
    }

    void setParameterValue(uint32_t index, float value) override
    {
        if (index != 0)
            return;
        fGainDb = value;
        fGainLinear = std::pow(10.0f, value / 20.0f);
    }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        const float g = fGainLinear;
        for (uint32_t ch = 0; ch < DISTRHO_PLUGIN_NUM_OUTPUTS; ++ch)
        {
            const float* in = inputs[ch];
            float* out = outputs[ch];
            for (uint32_t i = 0; i < frames; ++i)
                out[i] = in[i] * g;
        }
    }

private:
    float fGainDb;
    float fGainLinear;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(DpfGain)
};

Plugin* createPlugin()
{
    return new DpfGain();
}

END_NAMESPACE_DISTRHO
