using System;
using System.Text.RegularExpressions;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Values a counted loop saves in every iteration, unconditionally, go into slots reserved for the whole loop
    /// (<c>doubleSaved[3 * i + 1] = vx</c>) instead of being pushed one by one; the reverse sweep pops them unchanged
    /// (docs/reverse-sweep.md rule 16). Each model is checked against central finite differences, so a slot written at
    /// the wrong index, a reservation of the wrong size or one moved ahead of a push would show as a wrong gradient;
    /// the text checks pin down which loops take slots and where their reservation goes.
    /// </summary>
    public class SlotTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Slots
            {
                public static partial class M
                {
                    // Three values saved per iteration, from a lower bound that is not zero.
                    [Differentiable]
                    public static double Three(ReadOnlySpan<double> x, double drag)
                    {
                        double vx = x[0];
                        double vy = x[1];
                        for (int i = 2; i < x.Length; i++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy + 1.0);
                            vx -= 0.1 * drag * v * vx + 0.01 * x[i];
                            vy -= 0.1 * drag * v * vy - 0.02 * x[i];
                        }

                        return vx * vx + 3.0 * vy;
                    }

                    // A value saved only under a branch: the loop keeps pushing.
                    [Differentiable]
                    public static double Branchy(ReadOnlySpan<double> x)
                    {
                        double s = 0.5;
                        for (int i = 0; i < x.Length; i++)
                        {
                            if (x[i] > 0)
                            {
                                s = Math.Sin(s + x[i]);
                            }
                        }

                        return s;
                    }

                    // A loop that pushes (a branch) before a loop that could take slots on entry: the second loop's
                    // slots are taken where it starts, after the first loop's pushes.
                    [Differentiable]
                    public static double PushThenSlots(ReadOnlySpan<double> x)
                    {
                        double s = 0.25;
                        for (int i = 0; i < x.Length; i++)
                        {
                            if (x[i] < 0.5)
                            {
                                s = Math.Cos(s * x[i]);
                            }
                        }

                        for (int i = 0; i < x.Length; i++)
                        {
                            s = Math.Sin(s + x[i]);
                        }

                        return s;
                    }

                    // Two loops with counts known on entry: both reservations move there, in order.
                    [Differentiable]
                    public static double TwoOnEntry(ReadOnlySpan<double> x, int rounds)
                    {
                        double s = 0.5;
                        for (int i = 0; i < x.Length; i++)
                        {
                            s = Math.Sin(s + x[i]);
                        }

                        for (int k = 0; k < rounds; k++)
                        {
                            s = Math.Tanh(s * x[k % x.Length]);
                        }

                        return s;
                    }

                    // An inner loop that saves in every iteration, inside an outer loop that carries a value: the
                    // inner loop takes slots afresh in each outer iteration; the outer loop pushes.
                    [Differentiable]
                    public static double Nested(ReadOnlySpan<double> x, int outer)
                    {
                        double s = 0.1;
                        for (int r = 0; r < outer; r++)
                        {
                            double p = s;
                            for (int i = 0; i < x.Length; i++)
                            {
                                p = Math.Sin(p * x[i] + 0.3);
                            }

                            s = Math.Exp(-p * p) + s;
                        }

                        return s;
                    }

                    // Loops in the two branches of an if: reserving their slots on entry would let the reverse
                    // sweep of the branch that ran pop the other loop's (unfilled) slots, so each is reserved where it
                    // starts.
                    [Differentiable]
                    public static double Branches(ReadOnlySpan<double> x, int k)
                    {
                        double s = 0.5;
                        if (k > 0)
                        {
                            for (int i = 0; i < x.Length; i++)
                            {
                                s = Math.Sin(s + x[i]);
                            }
                        }
                        else
                        {
                            for (int i = 0; i < x.Length; i++)
                            {
                                s = Math.Cos(s * x[i]);
                            }
                        }

                        return s * s;
                    }

                    public static double BranchesValue(double[] x, int k) => Branches(x, k);
                    public static double BranchesGrad(double[] x, int k, double[] d) => BranchesGradient(x, k, d);
                    public static double ThreeValue(double[] x, double drag) => Three(x, drag);
                    public static double ThreeGrad(double[] x, double drag, double[] d, out double dDrag) => ThreeGradient(x, drag, d, out dDrag);
                    public static double BranchyValue(double[] x) => Branchy(x);
                    public static double BranchyGrad(double[] x, double[] d) => BranchyGradient(x, d);
                    public static double PushThenSlotsValue(double[] x) => PushThenSlots(x);
                    public static double PushThenSlotsGrad(double[] x, double[] d) => PushThenSlotsGradient(x, d);
                    public static double TwoOnEntryValue(double[] x, int rounds) => TwoOnEntry(x, rounds);
                    public static double TwoOnEntryGrad(double[] x, int rounds, double[] d) => TwoOnEntryGradient(x, rounds, d);
                    public static double NestedValue(double[] x, int outer) => Nested(x, outer);
                    public static double NestedGrad(double[] x, int outer, double[] d) => NestedGradient(x, outer, d);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private const string T = "Slots.M";

        private static Compiled Model => s_model.Value;

        private static string Gradient(string method) => s_run.Value.Gradient("M." + method + ".g.cs", method);

        [Theory]
        [InlineData(5, 0.7)]
        [InlineData(90, 0.3)] // 3 · 88 slots: more than the stack's first 64 values
        [InlineData(2, 1.1)] // no iterations
        public void Three_values_per_iteration_from_a_nonzero_lower_bound(int length, double drag)
        {
            double[] x = Values(length);
            var d = new double[length];
            var args = new object?[] { x, drag, d, 0.0 };
            Model.Method(T, "ThreeGrad").Invoke(null, args);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "ThreeValue", v, drag)!, x, d, "∂/∂x");
            double dDrag = (double)args[3]!;
            double h = 1e-6;
            double central = ((double)Model.Invoke(T, "ThreeValue", x, drag + h)! - (double)Model.Invoke(T, "ThreeValue", x, drag - h)!) / (2 * h);
            Assert.True(Math.Abs(central - dDrag) <= 1e-6 * Math.Max(1, Math.Abs(central)), $"∂/∂drag {dDrag} against {central}");

            string gradient = Gradient("Three");
            Assert.Contains("doubleStack.Reserve(3 * (x.Length - 2));", gradient, StringComparison.Ordinal);
            Assert.Matches(@"doubleSaved\[3 \* \(i - 2\)\] = ", gradient);
            Assert.Matches(@"doubleSaved\[3 \* \(i - 2\) \+ 2\] = ", gradient);
            Assert.DoesNotContain(".Push(", gradient, StringComparison.Ordinal);
        }

        [Fact]
        public void A_value_saved_under_a_branch_is_pushed()
        {
            double[] x = { 0.4, -0.3, 0.9, 0.2, -1.2, 0.7 };
            var d = new double[x.Length];
            Model.Invoke(T, "BranchyGrad", x, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "BranchyValue", v)!, x, d, "finite differences");
            string gradient = Gradient("Branchy");
            Assert.Contains("doubleStack.Push(", gradient, StringComparison.Ordinal);
            Assert.DoesNotContain(".Reserve(", gradient, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(6)]
        [InlineData(80)]
        public void Slots_after_pushes_of_the_same_type_are_taken_where_their_loop_starts(int length)
        {
            double[] x = Values(length);
            var d = new double[length];
            Model.Invoke(T, "PushThenSlotsGrad", x, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "PushThenSlotsValue", v)!, x, d, "finite differences");
            string gradient = Gradient("PushThenSlots");
            Assert.Matches(@"Span<double> doubleSaved = doubleStack\.Reserve\(x\.Length\);[^\n]*\n\s*for \(int i2 = 0;", gradient);
            Assert.True(
                gradient.IndexOf(".Push(", StringComparison.Ordinal) < gradient.IndexOf(".Reserve(", StringComparison.Ordinal),
                "the first loop's pushes come before the second loop's reservation");
        }

        [Theory]
        [InlineData(50, 40)] // 90 slots in all: the entry reservation grows the stack once
        [InlineData(3, 0)]
        [InlineData(1, 5)]
        public void Two_loops_with_counts_known_on_entry_take_their_slots_there_in_order(int length, int rounds)
        {
            double[] x = Values(length);
            var d = new double[length];
            Model.Invoke(T, "TwoOnEntryGrad", x, rounds, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "TwoOnEntryValue", v, rounds)!, x, d, "finite differences");

            string gradient = Gradient("TwoOnEntry");
            int forward = gradient.IndexOf("Forward sweep", StringComparison.Ordinal);
            int first = gradient.IndexOf("doubleSaved = doubleStack.Reserve(x.Length);", StringComparison.Ordinal);
            int second = gradient.IndexOf("doubleSaved2 = doubleStack.Reserve(rounds);", StringComparison.Ordinal);
            Assert.True(first >= 0 && second > first && forward > second, "both reservations, in loop order, before the forward sweep");
            Assert.DoesNotContain(".Push(", gradient, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(4, 3)]
        [InlineData(70, 2)]
        public void An_inner_loop_takes_slots_in_each_outer_iteration(int length, int outer)
        {
            double[] x = Values(length);
            var d = new double[length];
            Model.Invoke(T, "NestedGrad", x, outer, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "NestedValue", v, outer)!, x, d, "finite differences");
            string gradient = Gradient("Nested");
            Assert.Single(Regex.Matches(gradient, @"\.Reserve\("));
            Assert.Matches(@"\n(\s+)for \(int r = 0;[\s\S]*\n\1    Span<double> doubleSaved = doubleStack\.Reserve\(x\.Length\);", gradient);
        }

        [Theory]
        [InlineData(1, 5)]
        [InlineData(0, 5)]
        [InlineData(1, 80)]
        public void Loops_under_a_branch_take_their_slots_where_they_start(int k, int length)
        {
            double[] x = Values(length);
            var d = new double[length];
            Model.Invoke(T, "BranchesGrad", x, k, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "BranchesValue", v, k)!, x, d, "finite differences");
            string gradient = Gradient("Branches");
            Assert.True(
                gradient.IndexOf(".Reserve(", StringComparison.Ordinal) > gradient.IndexOf("Forward sweep", StringComparison.Ordinal),
                "no reservation before the forward sweep");
        }

        private static double[] Values(int length)
        {
            var x = new double[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = 0.2 + (0.6 * Math.Sin(1.3 * i + 0.4));
            }

            return x;
        }
    }
}
