/* C-level smoke test of a VST3 bundle binary, written against the ABI tables in shared/vst3-abi.md.
 * Loads the .so like the SDK host: dlopen, ModuleEntry, GetPluginFactory, then drives the factory,
 * a component and its audio processor through raw vtable slots. Prints "OK ..." and exits 0 on success. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

typedef int32_t tresult;
typedef void* (*slot_t)(void);
#define VT(obj) (*(void***)(obj))
#define CALL(obj, slot, type) ((type)VT(obj)[slot])

static const uint8_t IID_IComponent[16] = {0xE8,0x31,0xFF,0x31,0xF2,0xD5,0x43,0x01,0x92,0x8E,0xBB,0xEE,0x25,0x69,0x78,0x02};
static const uint8_t IID_IAudioProcessor[16] = {0x42,0x04,0x3F,0x99,0xB7,0xDA,0x45,0x3C,0xA5,0x69,0xE7,0x9D,0x9A,0xAE,0xC3,0x3D};
static const uint8_t IID_IPluginFactory3[16] = {0x45,0x55,0xA2,0xAB,0xC1,0x23,0x4E,0x57,0x9B,0x12,0x29,0x10,0x36,0x87,0x89,0x31};
static const uint8_t IID_Bogus[16] = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16};

typedef struct { char vendor[64]; char url[256]; char email[128]; int32_t flags; } PFactoryInfo;
typedef struct { uint8_t cid[16]; int32_t cardinality; char category[32]; char name[64]; } PClassInfo;
typedef struct { int32_t processMode, symbolicSampleSize, maxSamplesPerBlock; double sampleRate; } ProcessSetup;
typedef struct { int32_t numChannels; uint64_t silenceFlags; float** buffers32; } AudioBusBuffers;
typedef struct {
    int32_t processMode, symbolicSampleSize, numSamples, numInputs, numOutputs;
    AudioBusBuffers* inputs; AudioBusBuffers* outputs;
    void* inParams; void* outParams; void* inEvents; void* outEvents; void* context;
} ProcessData;

#define FAIL(...) do { printf("FAIL " __VA_ARGS__); printf("\n"); return 1; } while (0)

int main(int argc, char** argv)
{
    if (argc < 2) FAIL("usage: smoke <binary.so>");
    if (sizeof(PFactoryInfo) != 452 || sizeof(PClassInfo) != 116 || sizeof(ProcessSetup) != 24 ||
        sizeof(AudioBusBuffers) != 24 || sizeof(ProcessData) != 80) FAIL("struct sizes in the harness");
    void* lib = dlopen(argv[1], RTLD_LAZY);
    if (!lib) FAIL("dlopen: %s", dlerror());
    uint8_t (*moduleEntry)(void*) = (uint8_t (*)(void*))dlsym(lib, "ModuleEntry");
    uint8_t (*moduleExit)(void) = (uint8_t (*)(void))dlsym(lib, "ModuleExit");
    void* (*getFactory)(void) = (void* (*)(void))dlsym(lib, "GetPluginFactory");
    if (!moduleEntry || !moduleExit || !getFactory) FAIL("missing export");
    if (moduleEntry(lib) != 1) FAIL("ModuleEntry");

    void* factory = getFactory();
    if (!factory) FAIL("GetPluginFactory returned null");

    PFactoryInfo fi; memset(&fi, 0, sizeof fi);
    if (CALL(factory, 3, tresult (*)(void*, PFactoryInfo*))(factory, &fi) != 0) FAIL("getFactoryInfo");
    int32_t count = CALL(factory, 4, int32_t (*)(void*))(factory);
    if (count < 1) FAIL("countClasses %d", count);

    void* f3 = (void*)1;
    if (CALL(factory, 0, tresult (*)(void*, const uint8_t*, void**))(factory, IID_IPluginFactory3, &f3) != 0 || f3 != factory)
        FAIL("QI IPluginFactory3");
    CALL(factory, 2, uint32_t (*)(void*))(factory);
    void* bogus = (void*)1;
    tresult miss = CALL(factory, 0, tresult (*)(void*, const uint8_t*, void**))(factory, IID_Bogus, &bogus);
    if (miss != -1 || bogus != NULL) FAIL("QI miss: %d %p", miss, bogus);

    PClassInfo ci; void* component = NULL; int found = 0;
    for (int32_t i = 0; i < count && !found; i++) {
        memset(&ci, 0, sizeof ci);
        if (CALL(factory, 5, tresult (*)(void*, int32_t, PClassInfo*))(factory, i, &ci) != 0) FAIL("getClassInfo %d", i);
        if (strcmp(ci.category, "Audio Module Class") == 0) found = 1;
    }
    if (!found) FAIL("no processor class");
    if (CALL(factory, 6, tresult (*)(void*, const uint8_t*, const uint8_t*, void**))(factory, ci.cid, IID_IComponent, &component) != 0 || !component)
        FAIL("createInstance");

    if (CALL(component, 3, tresult (*)(void*, void*))(component, NULL) != 0) FAIL("initialize");
    int32_t outBuses = CALL(component, 7, int32_t (*)(void*, int32_t, int32_t))(component, 0, 1);
    void* processor = NULL;
    if (CALL(component, 0, tresult (*)(void*, const uint8_t*, void**))(component, IID_IAudioProcessor, &processor) != 0) FAIL("QI IAudioProcessor");

    ProcessSetup setup = {0, 0, 256, 48000.0};
    if (CALL(processor, 7, tresult (*)(void*, ProcessSetup*))(processor, &setup) != 0) FAIL("setupProcessing");
    CALL(component, 10, tresult (*)(void*, int32_t, int32_t, int32_t, uint8_t))(component, 0, 0, 0, 1);
    CALL(component, 10, tresult (*)(void*, int32_t, int32_t, int32_t, uint8_t))(component, 0, 1, 0, 1);
    if (CALL(component, 11, tresult (*)(void*, uint8_t))(component, 1) != 0) FAIL("setActive");
    if (CALL(processor, 8, tresult (*)(void*, uint8_t))(processor, 1) != 0) FAIL("setProcessing");

    float inL[64], inR[64], outL[64], outR[64];
    for (int i = 0; i < 64; i++) { inL[i] = sinf(i * 0.1f); inR[i] = -inL[i]; outL[i] = outR[i] = 99.0f; }
    float* ins[2] = {inL, inR}; float* outs[2] = {outL, outR};
    AudioBusBuffers inBus = {2, 0, ins}, outBus = {2, 0, outs};
    ProcessData data; memset(&data, 0, sizeof data);
    data.numSamples = 64; data.numInputs = 1; data.numOutputs = 1; data.inputs = &inBus; data.outputs = &outBus;
    if (CALL(processor, 9, tresult (*)(void*, ProcessData*))(processor, &data) != 0) FAIL("process");
    double maxErr = 0;
    for (int i = 0; i < 64; i++) { double e = fabs(outL[i] - inL[i]) + fabs(outR[i] - inR[i]); if (e > maxErr) maxErr = e; }

    /* flush: no buffers at all */
    ProcessData flush; memset(&flush, 0, sizeof flush);
    if (CALL(processor, 9, tresult (*)(void*, ProcessData*))(processor, &flush) != 0) FAIL("flush");
    /* oversize block must be refused without touching buffers */
    data.numSamples = 257;
    if (CALL(processor, 9, tresult (*)(void*, ProcessData*))(processor, &data) == 0) FAIL("oversize accepted");

    CALL(processor, 8, tresult (*)(void*, uint8_t))(processor, 0);
    CALL(component, 11, tresult (*)(void*, uint8_t))(component, 0);
    if (CALL(component, 4, tresult (*)(void*))(component) != 0) FAIL("terminate");
    CALL(processor, 2, uint32_t (*)(void*))(processor);
    uint32_t left = CALL(component, 2, uint32_t (*)(void*))(component);
    uint32_t fleft = CALL(factory, 2, uint32_t (*)(void*))(factory);
    if (moduleExit() != 1) FAIL("ModuleExit");
    dlclose(lib);
    printf("OK vendor=%s classes=%d name=%s outBuses=%d maxErr=%g componentRefs=%u factoryRefs=%u\n",
           fi.vendor, count, ci.name, outBuses, maxErr, left, fleft);
    return maxErr < 1e-6 && left == 0 && fleft == 0 ? 0 : 2;
}
