using System;
using System.Collections.Generic;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>
    /// Bytes a call allocates once warm. The runtime itself sometimes allocates on the calling thread while the JIT moves
    /// a hot method to its next tier (on-stack replacement in a long loop: seen in CI as 3–8 KB in one window on
    /// Rosenbrock at n = 100 000). Code that allocates per call allocates in every window, so the measurement is
    /// repeated, up to five windows, until one allocates nothing.
    /// </summary>
    internal static class SteadyStateAllocation
    {
        /// <summary>The bytes of each window measured, the last being 0 when the call allocates nothing.</summary>
        public static IReadOnlyList<long> Windows(Action call, int callsPerWindow)
        {
            var windows = new List<long>();
            for (int attempt = 0; attempt < 5 && (windows.Count == 0 || windows[windows.Count - 1] != 0); attempt++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < callsPerWindow; i++)
                {
                    call();
                }

                windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return windows;
        }

        public static bool AllocatesNothing(IReadOnlyList<long> windows) => windows[windows.Count - 1] == 0;
    }
}
