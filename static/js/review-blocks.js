// The review body's own blocks for django-prose-editor (Tiptap): a picture
// from the media library, a trailer, a pull quote and a spoiler. Each stores
// the small HTML that reviews/body_blocks.py describes and the sanitiser keeps;
// the page draws the real thing (reviews/body_html.py).
import {
  Node,
  crel,
  gettext,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const LAYOUTS = {
  column: gettext("In the column"),
  wide: gettext("Wide"),
  beside: gettext("Beside the text"),
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

// --- Picture ---------------------------------------------------------------

function pictureTile(picture, onChoose) {
  const button = crel("button", {
    type: "button",
    className: "library-tile",
    "aria-pressed": "false",
    title: picture.caption || picture.alt,
  })
  if (picture.thumb) {
    button.append(
      crel("img", {
        src: picture.thumb,
        alt: "",
        width: picture.width || 200,
        height: picture.height || 150,
      }),
    )
  }
  button.append(crel("span", { textContent: picture.alt }))
  button.addEventListener("click", () => onChoose(picture, button))
  return button
}

// The library dialog: search and pick, or upload a new picture; and the layout.
function chooseFromLibrary(editor, options, current) {
  return new Promise((resolve) => {
    let chosen = current.image ? { id: Number(current.image) } : null
    const results = crel("div", { className: "library-results", role: "list" })
    const status = crel("p", { className: "library-status", role: "status" })
    const search = crel("input", {
      type: "search",
      id: "library-search",
      placeholder: gettext("Words of the description, caption or credit"),
      size: 40,
    })
    const layout = crel(
      "select",
      { id: "library-layout" },
      Object.entries(LAYOUTS).map(([value, label]) =>
        crel("option", { value, textContent: label, selected: value === (current.layout || "column") }),
      ),
    )
    const choose = (picture, button) => {
      chosen = picture
      for (const tile of results.querySelectorAll(".library-tile")) {
        tile.setAttribute("aria-pressed", String(tile === button))
      }
      status.textContent = `${gettext("Chosen")}: ${picture.alt}`
    }
    const show = (pictures) => {
      results.replaceChildren(
        ...pictures.map((picture) => {
          const tile = pictureTile(picture, choose)
          if (chosen && chosen.id === picture.id) tile.setAttribute("aria-pressed", "true")
          return crel("div", { role: "listitem" }, [tile])
        }),
      )
      if (!pictures.length) status.textContent = gettext("No picture in the library matches.")
    }
    let timer = null
    const load = () => {
      const url = `${options.libraryUrl}?q=${encodeURIComponent(search.value)}`
      fetch(url, { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => show(data.pictures))
        .catch(() => {
          status.textContent = gettext("The library could not be read; try again.")
        })
    }
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(load, 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault()
    })

    // Upload: a new picture, with its words, straight into the library.
    const file = crel("input", { type: "file", id: "library-file", accept: "image/jpeg,image/png,image/gif,image/webp" })
    const alt = crel("input", { type: "text", id: "library-alt", size: 50, maxLength: 300 })
    const caption = crel("input", { type: "text", id: "library-caption", size: 50, maxLength: 500 })
    const credit = crel("input", { type: "text", id: "library-credit", size: 50, maxLength: 200 })
    const uploadButton = crel("button", { type: "button", textContent: gettext("Upload to the library") })
    const field = (input, label, help) =>
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: input.id, textContent: label }),
        input,
        ...(help ? [crel("span", { className: "prose-editor-help", textContent: help })] : []),
      ])
    uploadButton.addEventListener("click", () => {
      if (!file.files.length) {
        status.textContent = gettext("Choose a picture file to upload.")
        file.focus()
        return
      }
      if (!alt.value.trim()) {
        status.textContent = gettext("Describe the picture first: readers who cannot see it need the description.")
        alt.focus()
        return
      }
      const data = new FormData()
      data.append("image", file.files[0])
      data.append("alt", alt.value)
      data.append("caption", caption.value)
      data.append("credit", credit.value)
      data.append("image_focus_x", "0.5")
      data.append("image_focus_y", "0.5")
      status.textContent = gettext("Uploading…")
      fetch(options.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
        .then(({ ok, body }) => {
          if (!ok) {
            status.textContent = Object.values(body.errors || {}).flat().join(" ") || gettext("The upload failed.")
            return
          }
          const tile = pictureTile(body, choose)
          results.prepend(crel("div", { role: "listitem" }, [tile]))
          choose(body, tile)
          file.value = ""
          alt.value = caption.value = credit.value = ""
        })
        .catch(() => {
          status.textContent = gettext("The upload failed; try again.")
        })
    })

    const insert = crel("button", { type: "submit", textContent: gettext("Insert picture") })
    const cancel = crel("button", { type: "button", value: "cancel", textContent: gettext("Cancel") })
    const form = crel("form", { method: "dialog" }, [
      crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Picture from the library") }),
      field(search, gettext("Search the library")),
      results,
      crel("details", { className: "library-upload" }, [
        crel("summary", { textContent: gettext("Upload a new picture") }),
        field(file, gettext("Picture file")),
        field(alt, gettext("Description (alt text, required)"), gettext("What the picture shows, for readers who cannot see it.")),
        field(caption, gettext("Caption")),
        field(credit, gettext("Credit"), gettext("Photo: Why Not Productions")),
        uploadButton,
      ]),
      field(layout, gettext("Layout")),
      status,
      crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog library-dialog" }, [form])
    const holder = crel("div", {}, [dialog])
    editor.view.dom.parentElement.append(holder)
    let result = null
    insert.addEventListener("click", (event) => {
      event.preventDefault()
      if (!chosen) {
        status.textContent = gettext("Choose a picture, or upload one.")
        return
      }
      result = { image: String(chosen.id), layout: layout.value }
      dialog.close()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      holder.remove()
      resolve(result)
    })
    dialog.showModal()
    load()
  })
}

export const Picture = Node.create({
  name: "picture",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { libraryUrl: "", uploadUrl: "" }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attributes) => ({ "data-image": attributes.image }),
      },
      layout: {
        default: "column",
        parseHTML: (element) => element.getAttribute("data-layout") || "column",
        renderHTML: (attributes) => ({ "data-layout": attributes.layout }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    const options = this.options
    return ({ node }) => {
      const img = crel("img", { alt: "", width: 200, height: 150 })
      const caption = crel("figcaption", { textContent: gettext("Loading the picture…") })
      const dom = crel("figure", { className: "prose-picture" }, [img, caption])
      let shown = null
      const draw = (current) => {
        dom.dataset.layout = current.attrs.layout
        if (shown === current.attrs.image) return
        shown = current.attrs.image
        fetch(`${options.libraryUrl}${current.attrs.image}/`, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : Promise.reject()))
          .then((picture) => {
            img.src = picture.thumb
            img.alt = picture.alt
            caption.textContent = `${LAYOUTS[current.attrs.layout] || ""} · ${picture.alt}`
          })
          .catch(() => {
            caption.textContent = gettext("This picture is no longer in the library.")
          })
      }
      draw(node)
      return {
        dom,
        update(updated) {
          if (updated.type.name !== "picture") return false
          draw(updated)
          return true
        },
      }
    }
  },

  addMenuItems({ menu, buttons }) {
    const options = this.options
    const name = this.name
    menu.defineItem({
      name: "picture",
      groups: "nodes",
      button: buttons.material("image", gettext("Picture from the library")),
      command(editor) {
        const current = editor.isActive(name) ? editor.getAttributes(name) : {}
        chooseFromLibrary(editor, options, current).then((attrs) => {
          if (!attrs) return
          if (editor.isActive(name)) {
            editor.chain().focus().updateAttributes(name, attrs).run()
          } else {
            // After what is selected: a selected picture or trailer stays.
            editor.chain().focus().insertContentAt(editor.state.selection.to, { type: name, attrs }).run()
          }
        })
      },
      active: (editor) => editor.isActive(name),
    })
  },
})

// --- Trailer ---------------------------------------------------------------

// "youtube:ID" or "vimeo:ID" for a video address, or null.
export function embedValue(address) {
  let url
  try {
    url = new URL(address.trim().match(/^https?:\/\//) ? address.trim() : `https://${address.trim()}`)
  } catch {
    return null
  }
  const host = url.hostname.replace(/^(www\.|m\.)/, "")
  const youtubeId = /^[A-Za-z0-9_-]{11}$/
  if (host === "youtu.be") {
    const id = url.pathname.slice(1)
    return youtubeId.test(id) ? `youtube:${id}` : null
  }
  if (host === "youtube.com" || host === "youtube-nocookie.com" || host === "music.youtube.com") {
    const parts = url.pathname.split("/").filter(Boolean)
    const id = parts[0] === "watch" ? url.searchParams.get("v") : ["embed", "shorts", "live", "v"].includes(parts[0]) ? parts[1] : null
    return id && youtubeId.test(id) ? `youtube:${id}` : null
  }
  if (host === "vimeo.com" || host === "player.vimeo.com") {
    const id = url.pathname.split("/").filter(Boolean).reverse().find((part) => /^\d{1,12}$/.test(part))
    return id ? `vimeo:${id}` : null
  }
  return null
}

function watchAddress(value) {
  const [provider, id] = value.split(":")
  return provider === "youtube" ? `https://www.youtube.com/watch?v=${id}` : `https://vimeo.com/${id}`
}

async function askForVideo(editor, current) {
  let attrs = { url: current.embed ? watchAddress(current.embed) : "", title: current.title || "" }
  let problem = ""
  for (;;) {
    attrs = await updateAttrsDialog(
      {
        url: {
          type: "string",
          title: gettext("YouTube or Vimeo address"),
          description: problem || gettext("Readers see our poster; the video site is reached only when they press play."),
          required: true,
        },
        title: { type: "string", title: gettext("Title, shown on the play button (optional)") },
      },
      { title: gettext("Trailer or clip"), submitText: gettext("Insert") },
    )(editor, attrs)
    if (!attrs) return null
    const embed = embedValue(attrs.url)
    if (embed) return { embed, title: attrs.title.trim().slice(0, 200) || null }
    problem = gettext("That is not the address of a YouTube or Vimeo video. Copy it from the address bar of the video's page.")
  }
}

export const Trailer = Node.create({
  name: "trailer",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      embed: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed"),
        renderHTML: (attributes) => ({ "data-embed": attributes.embed }),
      },
      title: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-title"),
        renderHTML: (attributes) => (attributes.title ? { "data-title": attributes.title } : {}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => {
      const label = crel("span")
      const dom = crel("figure", { className: "prose-trailer" }, [
        crel("span", { className: "material-icons", textContent: "smart_display", "aria-hidden": "true" }),
        label,
      ])
      const draw = (current) => {
        const [provider, id] = (current.attrs.embed || ":").split(":")
        const site = provider === "vimeo" ? "Vimeo" : "YouTube"
        label.textContent = `${current.attrs.title || gettext("Video")} · ${site} ${id}`
      }
      draw(node)
      return {
        dom,
        update(updated) {
          if (updated.type.name !== "trailer") return false
          draw(updated)
          return true
        },
      }
    }
  },

  addMenuItems({ menu, buttons }) {
    const name = this.name
    menu.defineItem({
      name: "trailer",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Trailer or clip (YouTube, Vimeo)")),
      command(editor) {
        const current = editor.isActive(name) ? editor.getAttributes(name) : {}
        askForVideo(editor, current).then((attrs) => {
          if (!attrs) return
          if (editor.isActive(name)) {
            editor.chain().focus().updateAttributes(name, attrs).run()
          } else {
            // After what is selected: a selected picture or trailer stays.
            editor.chain().focus().insertContentAt(editor.state.selection.to, { type: name, attrs }).run()
          }
        })
      },
      active: (editor) => editor.isActive(name),
    })
  },
})

// --- Pull quote ------------------------------------------------------------

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "inline*",
  defining: true,

  parseHTML() {
    return [{ tag: "blockquote[data-pull-quote]", priority: 100 }]
  },

  renderHTML() {
    return ["blockquote", { "data-pull-quote": "" }, 0]
  },

  addMenuItems({ menu, buttons }) {
    const name = this.name
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      button: buttons.material("format_quote", gettext("Pull quote")),
      command(editor) {
        if (editor.isActive(name)) {
          editor.chain().focus().setParagraph().run()
        } else {
          editor.chain().focus().setNode(name).run()
        }
      },
      active: (editor) => editor.isActive(name),
      enabled: (editor) => editor.isActive(name) || editor.can().setNode(name),
    })
  },
})

// --- Spoiler ---------------------------------------------------------------

// The whole top-level blocks the selection touches (a spoiler holds whole
// paragraphs, lists, pictures; never part of a list, never another spoiler).
function topLevelRange(selection) {
  const range = selection.$from.blockRange(selection.$to, (node) => node.type.name === "doc")
  return range && range.depth === 0 ? range : null
}

export const SpoilerSummary = Node.create({
  name: "spoilerSummary",
  content: "text*",
  marks: "",
  defining: true,

  parseHTML() {
    return [{ tag: "summary" }]
  },

  renderHTML() {
    return ["summary", 0]
  },

  addNodeView() {
    return () => {
      const dom = crel("div", { className: "prose-spoiler-summary" })
      return { dom, contentDOM: dom }
    }
  },
})

export const Spoiler = Node.create({
  name: "spoiler",
  group: "block",
  content: "spoilerSummary block+",
  defining: true,
  isolating: true,

  parseHTML() {
    return [{ tag: "details" }]
  },

  renderHTML() {
    return ["details", 0]
  },

  // Always open while writing: the page shows it closed.
  addNodeView() {
    return () => {
      const dom = crel("div", { className: "prose-spoiler" })
      return { dom, contentDOM: dom }
    }
  },

  addMenuItems({ menu, buttons }) {
    const name = this.name
    menu.defineItem({
      name: "spoiler",
      groups: "nodes",
      button: buttons.material("visibility_off", gettext("Spoiler: hide the selected paragraphs until the reader opens them")),
      command(editor) {
        const { state, view } = editor
        const { schema, selection } = state
        if (editor.isActive(name)) {
          // Take the paragraphs out again; the summary goes.
          const { $from } = selection
          for (let depth = $from.depth; depth > 0; depth--) {
            const node = $from.node(depth)
            if (node.type.name === name) {
              const blocks = []
              node.forEach((child) => {
                if (child.type.name !== "spoilerSummary") blocks.push(child)
              })
              const start = $from.before(depth)
              view.dispatch(state.tr.replaceWith(start, start + node.nodeSize, blocks))
              break
            }
          }
          view.focus()
          return
        }
        const range = topLevelRange(selection)
        if (!range) return
        const blocks = []
        range.parent.forEach((child, offset, index) => {
          if (index >= range.startIndex && index < range.endIndex) blocks.push(child)
        })
        const summary = schema.nodes.spoilerSummary.create(null, schema.text(gettext("Spoiler")))
        const spoiler = schema.nodes[name].create(null, [summary, ...(blocks.length ? blocks : [schema.nodes.paragraph.create()])])
        view.dispatch(state.tr.replaceWith(range.start, range.end, spoiler))
        view.focus()
      },
      active: (editor) => editor.isActive(name),
      enabled: (editor) => editor.isActive(name) || Boolean(topLevelRange(editor.state.selection)),
    })
  },
})
