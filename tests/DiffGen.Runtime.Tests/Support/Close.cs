using System;
using Xunit;

namespace DiffGen.Runtime.Tests.Support
{
    /// <summary>Floating-point assertions with messages that show both numbers in full.</summary>
    internal static class Close
    {
        /// <summary>|actual − expected| ≤ relTol·max(|actual|, |expected|) + absTol.</summary>
        public static void Equal(double expected, double actual, double relTol, double absTol = 0, string? what = null)
        {
            double error = Math.Abs(actual - expected);
            double bound = (relTol * Math.Max(Math.Abs(actual), Math.Abs(expected))) + absTol;
            Assert.True(
                error <= bound,
                $"{what ?? "value"}: expected {expected:R}, actual {actual:R}, |error| {error:G3} > bound {bound:G3} (rel {relTol:G3}, abs {absTol:G3}).");
        }

        /// <summary>Element-wise <see cref="Equal(double, double, double, double, string?)"/>.</summary>
        public static void All(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relTol, double absTol = 0, string? what = null)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Equal(expected[i], actual[i], relTol, absTol, $"{what ?? "element"}[{i}]");
            }
        }

        /// <summary>Relative error, the way the accuracy tests state it: |actual − expected| / |expected|.</summary>
        public static double RelativeError(double expected, double actual) => Math.Abs(actual - expected) / Math.Abs(expected);
    }
}
