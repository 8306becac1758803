using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.Infrastructure
{
    /// <summary>
    /// <c>--interleaved</c>: the same benchmark methods, run in turn in one process, many short rounds in random
    /// order, keeping each method's fastest round. On a shared machine a load change then hits every method of a
    /// workload alike instead of one of them, so the ratios hold still where BenchmarkDotNet's sequential runs can
    /// move by 20–50 %. Each workload is warmed up first until tiered compilation has optimised its methods. Absolute
    /// times are less careful than BenchmarkDotNet's (no overhead subtraction, no statistics): read the ratios.
    /// </summary>
    internal static class InterleavedRunner
    {
        private static readonly string[] s_methods =
            { "Primal", "Generated", "HandWritten", "Tangent", "HandWrittenTangent", "HessianVector" };

        public static int Run(IReadOnlyList<string> filters, int rounds)
        {
            var sink = 0.0;
            Console.WriteLine("| Workload | primal | generated ÷ hand-written | generated ÷ primal | tangent ÷ primal | hand-written tangent ÷ primal | H·v ÷ primal |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var type in typeof(InterleavedRunner).Assembly.GetTypes().Where(IsWorkload).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                if (filters.Count > 0 && !filters.Any(f => type.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                foreach (var (label, instance) in Instances(type))
                {
                    var methods = s_methods
                        .Select(name => (Name: name, Method: type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)))
                        .Where(m => m.Method is not null && m.Method.ReturnType == typeof(double) && m.Method.IsDefined(typeof(BenchmarkAttribute)))
                        .Select(m => (m.Name, Run: m.Method!.CreateDelegate<Func<double>>(instance)))
                        .ToArray();
                    var best = Measure(methods, rounds, ref sink);
                    Console.WriteLine("| " + label + " | " + Time(best, "Primal") + " | " + Ratio(best, "Generated", "HandWritten") + " | "
                        + Ratio(best, "Generated", "Primal") + " | " + Ratio(best, "Tangent", "Primal") + " | "
                        + Ratio(best, "HandWrittenTangent", "Primal") + " | " + Ratio(best, "HessianVector", "Primal") + " |");
                }
            }

            return sink == 42.125 ? 1 : 0; // keeps the results alive
        }

        private static bool IsWorkload(Type type) =>
            !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null
            && type.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute)) && m.Name == "Primal");

        /// <summary>One instance per value of a <c>[Params]</c> property (Rosenbrock's N), set up by its <c>[GlobalSetup]</c>.</summary>
        private static IEnumerable<(string Label, object Instance)> Instances(Type type)
        {
            var parameter = type.GetProperties().FirstOrDefault(p => p.IsDefined(typeof(ParamsAttribute)));
            object?[] values = parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? new object?[] { null };
            string name = type.Name.Replace("Benchmarks", string.Empty, StringComparison.Ordinal);
            foreach (var value in values)
            {
                var instance = Activator.CreateInstance(type)!;
                parameter?.SetValue(instance, value);
                foreach (var setup in type.GetMethods().Where(m => m.IsDefined(typeof(GlobalSetupAttribute))))
                {
                    setup.Invoke(instance, null);
                }

                yield return (parameter is null ? name : name + " " + parameter.Name + " = " + Convert.ToString(value, CultureInfo.InvariantCulture), instance);
            }
        }

        /// <summary>Batches of about a millisecond, the methods in a fresh random order each round; the fastest batch per call.</summary>
        private static Dictionary<string, double> Measure((string Name, Func<double> Run)[] methods, int rounds, ref double sink)
        {
            // Tiered compilation promotes a method to optimised code after 30 calls and a quiet 100 ms; until then
            // a loop runs as on-stack-replaced tier-0 code, up to twice as slow. Call everything, then wait, thrice.
            for (int warm = 0; warm < 3; warm++)
            {
                foreach (var (_, run) in methods)
                {
                    for (int i = 0; i < 40; i++)
                    {
                        sink += run();
                    }
                }

                System.Threading.Thread.Sleep(250);
            }

            var calls = new Dictionary<string, int>();
            foreach (var (name, run) in methods)
            {
                int n = 1;
                long start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 1 || n < 4)
                {
                    sink += run();
                    n++;
                }

                calls[name] = n;
            }

            var best = methods.ToDictionary(m => m.Name, _ => double.MaxValue);
            var random = new Random(1);
            var order = methods.ToArray();
            for (int round = 0; round < rounds; round++)
            {
                random.Shuffle(order);
                foreach (var (name, run) in order)
                {
                    int n = calls[name];
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++)
                    {
                        sink += run();
                    }

                    double perCall = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
                    best[name] = Math.Min(best[name], perCall);
                }
            }

            return best;
        }

        private static string Time(Dictionary<string, double> best, string name) =>
            !best.TryGetValue(name, out double ns) ? "–"
            : ns >= 1e6 ? (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms"
            : ns >= 1e3 ? (ns / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " μs"
            : ns.ToString("F1", CultureInfo.InvariantCulture) + " ns";

        private static string Ratio(Dictionary<string, double> best, string over, string under) =>
            best.TryGetValue(over, out double a) && best.TryGetValue(under, out double b) ? (a / b).ToString("F2", CultureInfo.InvariantCulture) : "–";
    }
}
