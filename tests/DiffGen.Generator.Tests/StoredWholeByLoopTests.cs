using System;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// FGradient stores an input array's adjoint from the one loop that reads each element once, instead of clearing
    /// it and adding (docs/reverse-sweep.md, rule 18). Every gradient buffer here starts full of NaN, so an element the
    /// generated code neither cleared nor stored would show; each gradient is compared with central differences (and
    /// softmax cross-entropy with its closed form, softmax − one-hot). The methods that must not store check that the
    /// clear is still there. (<see cref="StoredWholeTests"/> covers the other way an adjoint is stored whole: the carried
    /// stores of a fused loop.)
    /// </summary>
    public class StoredWholeByLoopTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Whole
            {
                public static partial class M
                {
                    // The case it is for: the exp loop stores dLogits[i]; the label's −1 is added after it.
                    [Differentiable]
                    public static double CrossEntropy(ReadOnlySpan<double> logits, int label)
                    {
                        double max = logits[0];
                        for (int i = 1; i < logits.Length; i++)
                        {
                            max = Math.Max(max, logits[i]);
                        }

                        double sum = 0;
                        for (int i = 0; i < logits.Length; i++)
                        {
                            sum += Math.Exp(logits[i] - max);
                        }

                        return Math.Log(sum) + max - logits[label];
                    }

                    // The element read after the loop is scaled by a local the loop's reverse sweep does not know: it
                    // cannot wait until after the loop, so the loop adds and dW is cleared.
                    [Differentiable]
                    public static double LocalAfter(ReadOnlySpan<double> w, double a)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += Math.Sin(w[i] * a);
                        }

                        double k = s * s;
                        return s + w[0] * k;
                    }

                    // Two reads of w[i] in the loop: two terms per element, so no store.
                    [Differentiable]
                    public static double TwoReads(ReadOnlySpan<double> w, double a)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += Math.Sin(w[i]);
                            s += a * Math.Cos(s + w[i]);
                        }

                        return s;
                    }

                    // The loop starts at 1: w[0] would never be stored.
                    [Differentiable]
                    public static double FromOne(ReadOnlySpan<double> w)
                    {
                        double s = 0;
                        for (int i = 1; i < w.Length; i++)
                        {
                            s += Math.Exp(w[i]) * s;
                        }

                        return s + 0.5;
                    }

                    // A return inside the loop: the elements after it are never read.
                    [Differentiable]
                    public static double EarlyReturn(ReadOnlySpan<double> w)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += Math.Exp(w[i]);
                            if (s > 3)
                            {
                                return s;
                            }
                        }

                        return Math.Log(s);
                    }

                    // The element read under a branch in the loop.
                    [Differentiable]
                    public static double UnderBranch(ReadOnlySpan<double> w, double a)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            if (a > i)
                            {
                                s += w[i] * w[i];
                            }
                        }

                        return s;
                    }

                    public static double CrossEntropyG(double[] x, int label, double[] d) => CrossEntropyGradient(x, label, d);
                    public static double CrossEntropyP(double[] x, int label) => CrossEntropy(x, label);
                    public static double LocalAfterG(double[] x, double a, double[] d) => LocalAfterGradient(x, a, d, out _);
                    public static double LocalAfterP(double[] x, double a) => LocalAfter(x, a);
                    public static double TwoReadsG(double[] x, double a, double[] d) => TwoReadsGradient(x, a, d, out _);
                    public static double TwoReadsP(double[] x, double a) => TwoReads(x, a);
                    public static double FromOneG(double[] x, double[] d) => FromOneGradient(x, d);
                    public static double FromOneP(double[] x) => FromOne(x);
                    public static double EarlyReturnG(double[] x, double[] d) => EarlyReturnGradient(x, d);
                    public static double EarlyReturnP(double[] x) => EarlyReturn(x);
                    public static double UnderBranchG(double[] x, double a, double[] d) => UnderBranchGradient(x, a, d, out _);
                    public static double UnderBranchP(double[] x, double a) => UnderBranch(x, a);
                }
            }
            """;

        private const string T = "Whole.M";

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        [Theory]
        [InlineData(1, 0)]
        [InlineData(5, 3)]
        [InlineData(200, 117)] // past the stack's first 64 values
        public void Softmax_cross_entropy_stores_every_element_and_matches_softmax_minus_one_hot(int n, int label)
        {
            var x = Values(n);
            var d = Poisoned(n);
            s_model.Value.Invoke(T, "CrossEntropyG", x, label, d);

            double max = double.NegativeInfinity;
            foreach (double v in x)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            foreach (double v in x)
            {
                sum += Math.Exp(v - max);
            }

            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                expected[i] = (Math.Exp(x[i] - max) / sum) - (i == label ? 1 : 0);
            }

            Numeric.Exact(expected, d, "softmax − one-hot");
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, "CrossEntropyP", v, label)!, x, d, "finite differences");

            string gradient = s_run.Value.Gradient("M.CrossEntropy.g.cs", "CrossEntropy");
            Assert.DoesNotContain("dLogits.Clear()", gradient, StringComparison.Ordinal);
            Assert.Matches(@"\n\s*dLogits\[i\d*\] = ", gradient);
            Assert.True(
                gradient.IndexOf("dLogits[label] -= 1.0;", StringComparison.Ordinal) > gradient.IndexOf("dLogits[i2] = ", StringComparison.Ordinal),
                "the label's term comes after the loop's stores");
        }

        [Theory]
        [InlineData("LocalAfter", 4)]
        [InlineData("TwoReads", 5)]
        [InlineData("UnderBranch", 6)]
        public void Loops_that_cannot_store_whole_still_clear_and_are_right(string method, int n)
        {
            var x = Values(n);
            var d = Poisoned(n);
            const double a = 2.5;
            s_model.Value.Invoke(T, method + "G", x, a, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, method + "P", v, a)!, x, d, "finite differences");
            Assert.Contains("dW.Clear()", s_run.Value.Gradient("M." + method + ".g.cs", method), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("FromOne", 4)]
        [InlineData("EarlyReturn", 1)] // returns after the loop
        [InlineData("EarlyReturn", 6)] // returns from inside it (s passes 3 at the fourth element)
        public void Loops_that_miss_elements_still_clear_and_are_right(string method, int n)
        {
            var x = Values(n);
            var d = Poisoned(n);
            s_model.Value.Invoke(T, method + "G", x, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, method + "P", v)!, x, d, "finite differences");
            Assert.Contains("dW.Clear()", s_run.Value.Gradient("M." + method + ".g.cs", method), StringComparison.Ordinal);
        }

        private static double[] Values(int n)
        {
            var x = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = 0.4 + (0.5 * Math.Sin(1.3 * i));
            }

            return x;
        }

        private static double[] Poisoned(int n)
        {
            var d = new double[n];
            Array.Fill(d, double.NaN);
            return d;
        }
    }
}
