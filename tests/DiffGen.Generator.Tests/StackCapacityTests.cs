using System;
using System.Text.RegularExpressions;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Value stacks are sized once on entry for the loops whose trip counts are known there (parameters never
    /// assigned, their lengths, numbers), and right before the loop otherwise. The first is a speed rule
    /// (docs/reverse-sweep.md, rule 15); the second is what keeps it correct: a count that reads a local or a
    /// reassigned parameter cannot be evaluated before the method has computed it. Each model is checked against
    /// central finite differences, so a stack that came out short or a count read too early would show.
    /// </summary>
    public class StackCapacityTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Capacity
            {
                public static partial class M
                {
                    // Two loops with counts known on entry: one reservation for both, before the first loop.
                    [Differentiable]
                    public static double TwoLoops(ReadOnlySpan<double> x, int rounds)
                    {
                        double s = 0.5;
                        for (int i = 0; i < x.Length; i++)
                        {
                            s = Math.Sin(s + x[i]);
                        }

                        for (int k = 0; k < rounds; k++) // two values pushed per iteration
                        {
                            s = Math.Cos(s) * x[0];
                        }

                        return s;
                    }

                    // The count is a local computed in the method: reserved where the loop starts.
                    [Differentiable]
                    public static double LocalCount(ReadOnlySpan<double> x, int n)
                    {
                        int m = 2 * n + 1;
                        double s = 0.25;
                        for (int i = 0; i < m; i++)
                        {
                            s = Math.Sin(s * x[i % x.Length]);
                        }

                        return s;
                    }

                    // The count is a parameter the method reassigns first: reserved where the loop starts.
                    [Differentiable]
                    public static double ReassignedCount(ReadOnlySpan<double> x, int n)
                    {
                        n = n + 2;
                        double s = 0.25;
                        for (int i = 0; i < n; i++)
                        {
                            s = Math.Sin(s + x[i % x.Length]);
                        }

                        return s;
                    }

                    // The count divides by a parameter the method checks first: it must not be evaluated before the
                    // check (the division is computed into a local after the early return, and the loop is under the
                    // early return's branch, so the stack is sized where the loop starts).
                    [Differentiable]
                    public static double Guarded(ReadOnlySpan<double> x, int k)
                    {
                        if (k == 0)
                        {
                            return x[0] * x[0];
                        }

                        double s = 0.25;
                        for (int i = 0; i < x.Length / k; i++)
                        {
                            s = Math.Sin(s + x[i]);
                        }

                        return s;
                    }

                    public static double GuardedValue(double[] x, int k) => Guarded(x, k);
                    public static double GuardedGrad(double[] x, int k, double[] d) => GuardedGradient(x, k, d);
                    public static double TwoLoopsValue(double[] x, int rounds) => TwoLoops(x, rounds);
                    public static double TwoLoopsGrad(double[] x, int rounds, double[] d) => TwoLoopsGradient(x, rounds, d);
                    public static double LocalCountValue(double[] x, int n) => LocalCount(x, n);
                    public static double LocalCountGrad(double[] x, int n, double[] d) => LocalCountGradient(x, n, d);
                    public static double ReassignedCountValue(double[] x, int n) => ReassignedCount(x, n);
                    public static double ReassignedCountGrad(double[] x, int n, double[] d) => ReassignedCountGradient(x, n, d);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private const string T = "Capacity.M";

        private static string Gradient(string method) => s_run.Value.Gradient("M." + method + ".g.cs", method);

        [Theory]
        [InlineData(300, 3)] // more than the 64 values the stack starts with: the entry reservation is what holds them
        [InlineData(5, 0)]
        [InlineData(1, 70)]
        public void Counts_known_on_entry_are_reserved_once_before_the_forward_sweep(int length, int rounds)
        {
            double[] x = Values(length);
            var d = new double[length];
            s_model.Value.Invoke(T, "TwoLoopsGrad", x, rounds, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, "TwoLoopsValue", v, rounds)!, x, d, "finite differences");

            string gradient = Gradient("TwoLoops");
            Assert.Single(Regex.Matches(gradient, @"EnsureCapacity\("));
            Assert.Contains("doubleStack.EnsureCapacity(x.Length + 2 * rounds);", gradient, StringComparison.Ordinal);
            Assert.True(
                gradient.IndexOf("EnsureCapacity", StringComparison.Ordinal) < gradient.IndexOf("Forward sweep", StringComparison.Ordinal),
                "the reservation comes before the forward sweep");
        }

        [Theory]
        [InlineData("LocalCount", 3, 40)] // 81 iterations: past the initial 64
        [InlineData("LocalCount", 4, 0)]
        [InlineData("ReassignedCount", 3, 80)]
        [InlineData("ReassignedCount", 2, -2)] // no iterations
        public void Counts_computed_by_the_method_are_reserved_where_the_loop_starts(string method, int length, int n)
        {
            double[] x = Values(length);
            var d = new double[length];
            s_model.Value.Invoke(T, method + "Grad", x, n, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, method + "Value", v, n)!, x, d, "finite differences");

            string gradient = Gradient(method);
            // The loop saves one value per iteration, so its room is taken as slots (rule 16) on the line before it.
            Assert.Empty(Regex.Matches(gradient, @"EnsureCapacity\("));
            Assert.Matches(@"\n\s*Span<double> doubleSaved = doubleStack\.Reserve\((m|n2)\);[^\n]*\n\s*for \(int i = 0;", gradient);
        }

        [Theory]
        [InlineData(0)] // returns before the loop: nothing may divide by k first
        [InlineData(1)]
        [InlineData(2)]
        public void A_count_the_method_guards_is_not_evaluated_on_entry(int k)
        {
            double[] x = Values(90);
            var d = new double[x.Length];
            s_model.Value.Invoke(T, "GuardedGrad", x, k, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, "GuardedValue", v, k)!, x, d, "finite differences");
            string gradient = Gradient("Guarded");
            Assert.True(
                gradient.IndexOf("x.Length / k", StringComparison.Ordinal) > gradient.IndexOf("Forward sweep", StringComparison.Ordinal),
                "the count is first evaluated inside the forward sweep");
        }

        private static double[] Values(int length)
        {
            var x = new double[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = 0.3 + (0.7 * Math.Sin(1.7 * i));
            }

            return x;
        }
    }
}
