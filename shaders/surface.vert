#version 330 core
// The loss surface as a mesh: position in model space (x, y in [-1, 1], z = scaled log loss),
// its normal, and the colour coordinate t (the same log scale as the 2-D map).
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in float t;
uniform mat4 mvp;
out vec3 v_normal;
out float v_t;
void main() {
    v_normal = normal;
    v_t = t;
    gl_Position = mvp * vec4(position, 1.0);
}
