using System;

namespace DiffGen
{
    /// <summary>
    /// Marks the <c>Span&lt;T&gt;</c> parameter a vector-valued <see cref="DifferentiableAttribute"/> method writes its
    /// outputs into. Such a method returns <c>void</c>; the generator adds <c>{Name}Backward</c> with one seed per output
    /// (a vector-Jacobian product) and, with <see cref="DiffModes.Jacobian"/>, <c>{Name}Jacobian</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class OutputAttribute : Attribute
    {
    }
}
