#version 330 core
// A rectangle from gl_VertexID (two triangles, no vertex buffers): covers the viewport.
out vec2 uv;
void main() {
    vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(0, 1));
    uv = corners[gl_VertexID];
    gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
}
