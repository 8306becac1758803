using System;

namespace DiffGen
{
    /// <summary>A scalar function of a vector, such as a loss: <c>f(x)</c>.</summary>
    /// <param name="x">The point at which to evaluate.</param>
    /// <returns>The value <c>f(x)</c>.</returns>
    public delegate double ScalarFunction(ReadOnlySpan<double> x);
}
