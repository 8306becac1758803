using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace DiffGen.Benchmarks.CompileTime
{
    /// <summary>
    /// <c>--compile-time [methods] [passes]</c>: the generator's cost per method as one number that holds still on a
    /// shared machine. Each pass times a full generator run (<see cref="GeneratorWorkload.FullRun"/>) and, right after
    /// it, the compiler alone on the same code (<see cref="GeneratorWorkload.CompileWithoutGenerator"/>); the
    /// difference of the pair, divided by the number of methods, is what the generator adds per method. Both halves
    /// of a pair see the same load, so the median of the differences moves far less than either time does.
    /// BenchmarkDotNet's <see cref="GeneratorBenchmarks"/> reports the same runs with allocations.
    /// </summary>
    public static class CompileTimeRunner
    {
        public static int Run(string[] args)
        {
            int methods = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
            int passes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25;
            var workload = new GeneratorWorkload(methods);

            // Warm-up: JIT and tiering of Roslyn and the generator, so the pairs measure steady-state work.
            for (int i = 0; i < 5; i++)
            {
                workload.FullRun();
                workload.CompileWithoutGenerator();
            }

            var perMethod = new double[passes];
            var full = new double[passes];
            var compile = new double[passes];
            for (int i = 0; i < passes; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                full[i] = Time(() => workload.FullRun());
                GC.Collect();
                GC.WaitForPendingFinalizers();
                compile[i] = Time(() => workload.CompileWithoutGenerator());
                perMethod[i] = (full[i] - compile[i]) / methods;
            }

            Console.WriteLine($"methods: {methods}, passes: {passes} (wall-clock ms)");
            Console.WriteLine($"full generator run:          median {Median(full):F1}, min {full.Min():F1}");
            Console.WriteLine($"compiler alone, same code:   median {Median(compile):F1}, min {compile.Min():F1}");
            Console.WriteLine($"generator per method:        median {Median(perMethod):F2} ms (paired differences)");
            PrintSteps(methods, passes);
            return 0;
        }

        /// <summary>
        /// Where the time goes: the generator's pipeline steps as Roslyn times them (tracked steps; the tracking
        /// itself adds a little), median over the passes, per method. The front end's step includes binding the body.
        /// </summary>
        private static void PrintSteps(int methods, int passes)
        {
            var tracked = new GeneratorWorkload(methods, trackSteps: true);
            var totals = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<double>>();
            for (int i = 0; i < passes + 5; i++)
            {
                var result = tracked.FullRun().GetRunResult().Results.Single();
                if (i < 5)
                {
                    continue;
                }

                var steps = result.TrackedSteps.Concat(result.TrackedOutputSteps);
                foreach (var step in steps)
                {
                    double ms = step.Value.Sum(s => s.ElapsedTime.TotalMilliseconds);
                    if (!totals.TryGetValue(step.Key, out var list))
                    {
                        totals[step.Key] = list = new System.Collections.Generic.List<double>();
                    }

                    list.Add(ms);
                }
            }

            Console.WriteLine("pipeline steps, per method (median of the passes, tracked run):");
            foreach (var step in totals.Where(t => Median(t.Value.ToArray()) / methods >= 0.0005).OrderByDescending(t => Median(t.Value.ToArray())))
            {
                Console.WriteLine($"  {step.Key,-40} {Median(step.Value.ToArray()) / methods:F3} ms");
            }
        }

        private static double Time(Action action)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            return (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
        }

        private static double Median(double[] values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
        }
    }
}
