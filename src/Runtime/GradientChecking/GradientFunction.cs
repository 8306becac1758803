using System;

namespace DiffGen
{
    /// <summary>
    /// Evaluates a scalar function and its gradient together: writes <c>∇f(x)</c> into <paramref name="gradient"/>
    /// (overwriting it) and returns <c>f(x)</c>.
    /// </summary>
    /// <param name="x">The point at which to evaluate.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; it has the same length as <paramref name="x"/>.</param>
    /// <returns>The value <c>f(x)</c>.</returns>
    public delegate double GradientFunction(ReadOnlySpan<double> x, Span<double> gradient);
}
