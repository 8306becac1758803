using System;

namespace DiffGen
{
    /// <summary>
    /// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as data: it gets no adjoint and
    /// the generator treats it as a constant.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class NoDiffAttribute : Attribute
    {
    }
}
