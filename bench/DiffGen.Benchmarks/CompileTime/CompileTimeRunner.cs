using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace DiffGen.Benchmarks.CompileTime
{
    /// <summary>
    /// <c>--compile-time [passes]</c>: the generator's cost per method as numbers that hold still on a shared machine.
    /// Each pass times a full generator run (<see cref="GeneratorWorkload.FullRun"/>) and, right after it, the
    /// compiler alone on the same code (<see cref="GeneratorWorkload.CompileWithoutGenerator"/>); the difference of
    /// the pair, divided by the number of methods, is what the generator adds per method. Both halves
    /// of a pair see the same load, so the median of the differences moves far less than either time does.
    /// BenchmarkDotNet's <see cref="GeneratorBenchmarks"/> reports the same runs with allocations.
    /// </summary>
    public static class CompileTimeRunner
    {
        public static int Run(string[] args)
        {
            // --compile-time [passes]: 25 paired passes at 10 and at 100 methods.
            int passes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 25;
            var small = Measure(10, passes);
            var large = Measure(100, passes);

            // What one more method costs: the slope between the two sizes, free of what every run pays once (the
            // driver, the attribute lookups, the first binding against the framework's types).
            double marginal = ((large.Full - large.Compile) - (small.Full - small.Compile)) / (large.Methods - small.Methods);
            double once = (small.Full - small.Compile) - (marginal * small.Methods);
            Console.WriteLine();
            Console.WriteLine($"each further method: {marginal:F2} ms; once per compilation: {once:F1} ms (medians, from 10 and 100 methods)");
            PrintSteps(large.Methods, passes);
            return 0;
        }

        private readonly record struct Sample(int Methods, double Full, double Compile);

        private static Sample Measure(int methods, int passes)
        {
            // The workload's constructor runs the generator once (its warm driver); the next run still finds most of
            // the generator's code unoptimised: the closest to a cold build this process can show.
            var workload = new GeneratorWorkload(methods);
            double first = Time(() => workload.FullRun());

            // Warm-up to a build server's steady state, by time as well as by count: tiered compilation re-jits
            // thousands of Roslyn's methods on a background thread for several seconds, which on 2 cores doubled the
            // runs measured after a 3-second warm-up (and showed as a 30 ms "once per compilation" cost that is not one).
            var warmUp = Stopwatch.StartNew();
            for (int i = 0; i < 15 || warmUp.Elapsed.TotalSeconds < 10; i++)
            {
                workload.FullRun();
                workload.CompileWithoutGenerator();
            }

            var perMethod = new double[passes];
            var full = new double[passes];
            var compile = new double[passes];
            // No forced collection between runs: Roslyn keeps the referenced assemblies' symbols behind weak
            // references, and a full collection before each run made every run rebuild them (the same cost in both
            // halves of a pair, but twice the noise). Garbage collection the runs cause themselves is part of the cost.
            for (int i = 0; i < passes; i++)
            {
                full[i] = Time(() => workload.FullRun());
                compile[i] = Time(() => workload.CompileWithoutGenerator());
                perMethod[i] = (full[i] - compile[i]) / methods;
            }

            // Allocation does not depend on the machine's load: a measure that holds still when times do not.
            long before = GC.GetTotalAllocatedBytes(precise: true);
            workload.FullRun();
            long generator = GC.GetTotalAllocatedBytes(precise: true) - before;
            before = GC.GetTotalAllocatedBytes(precise: true);
            workload.CompileWithoutGenerator();
            long compiler = GC.GetTotalAllocatedBytes(precise: true) - before;

            Console.WriteLine($"methods: {methods}, passes: {passes} (wall-clock ms)");
            Console.WriteLine($"  full generator run:        median {Median(full):F1}, min {full.Min():F1} (second run in the process: {first:F1})");
            Console.WriteLine($"  compiler alone, same code: median {Median(compile):F1}, min {compile.Min():F1}");
            Console.WriteLine($"  generator per method:      median {Median(perMethod):F2} ms (paired differences)");
            Console.WriteLine($"  allocated per method:      {generator / 1024.0 / methods:F0} KB by a generator run, {compiler / 1024.0 / methods:F0} KB by the compiler alone");
            return new Sample(methods, Median(full), Median(compile));
        }

        /// <summary>
        /// Where the time goes: the generator's pipeline steps as Roslyn times them (tracked steps; the tracking
        /// itself adds a little), median over the passes, per method. The front end's step includes binding the body.
        /// </summary>
        private static void PrintSteps(int methods, int passes)
        {
            var tracked = new GeneratorWorkload(methods, trackSteps: true);
            var totals = new Dictionary<string, List<double>>();
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
                        totals[step.Key] = list = new List<double>();
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
