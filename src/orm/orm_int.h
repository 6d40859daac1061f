/* The ORM's internals.  Only the public API is used (<sqlalc.h>): nothing
 * below src/orm knows this layer exists. */
#ifndef SQLALC_ORM_INT_H
#define SQLALC_ORM_INT_H
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sqlalc.h>

/* A field's value detached from the struct: the form snapshots and keys use. */
typedef struct ov {
    int null;
    int64_t i;
    double f;
    char *s; /* TEXT: owned by whoever holds the ov */
} ov;

typedef struct orm_rel {
    char *name;
    sqlalc_orm_rel_kind kind; /* as declared */
    int scalar;               /* pointer field (MANY_TO_ONE, ONE_TO_ONE) */
    int local_fk;             /* the local table holds the foreign key (MANY_TO_ONE direction) */
    struct sqlalc_orm_mapper *m, *target;
    size_t offset;
    unsigned cascade;
    char *back_populates;
    struct orm_rel *back; /* resolved on first use */
    int back_resolved;
    size_t ncols;
    /* direct: local field indexes and the target's field indexes they equal */
    size_t *lf, *tf;
    /* MANY_TO_MANY: secondary columns equal to lf (sl) and to tf (st) */
    sqlalc_table *secondary;
    char **sl, **st;
    size_t index; /* position in m->rels */
} orm_rel;

struct sqlalc_orm_mapper {
    char *name;
    struct sqlalc_orm_registry *reg;
    sqlalc_table *table;
    size_t size;
    size_t nfields;
    sqlalc_orm_field *fields; /* column names owned */
    sqlalc_type_kind *ctype;  /* column type kind per field */
    int *generated;           /* per field: 1 autoincrement key, 2 server default, 0 none */
    sqlalc_value *cdefault;   /* client default per field (type NULL: none) */
    size_t npk;
    size_t *pk; /* field indexes of the key, in key order */
    size_t nrels;
    orm_rel **rels;
    int rank; /* foreign-key order (referenced tables first) */
    size_t index;
    /* set when the first object is made: objects size their relationship
     * flags then, so no relationship may be added after */
    atomic_int objects_made;
};

struct sqlalc_orm_registry {
    size_t n, cap;
    struct sqlalc_orm_mapper **mappers;
    int ranked;
    sqlalc_metadata **owned_md; /* automap's reflected metadata */
    size_t nmd;
};

/* Object states. */
enum { OS_TRANSIENT = 0, OS_PENDING, OS_PERSISTENT, OS_DELETED };

typedef struct ostate {
    uint32_t magic;
    int status;
    int marked_delete;  /* persistent, DELETE at the next flush */
    int inserted_in_tx; /* INSERTed in the open transaction */
    int deleted_in_tx;  /* DELETEd in the open transaction */
    int generated_set;  /* the flush in progress wrote generated keys */
    const struct sqlalc_orm_mapper *m;
    struct sqlalc_session *s;
    ov *snap;                  /* state as in the database (NULL until loaded / inserted) */
    ov *base;                  /* state at the transaction's start when a flush changed it */
    unsigned char *rel_loaded; /* per relationship */
    unsigned char *rel_set;    /* per relationship: MANY_TO_ONE set through the API */
    sqlalc_orm_list *rel_snap; /* per MANY_TO_MANY relationship: the targets as in the database */
    char *key;                 /* identity key (when in the identity map): keybuf or allocated */
    size_t keylen;
    char keybuf[40]; /* most keys (a mapper and an integer) fit here */
    size_t seq;      /* position in the session's list */
} ostate;

/* The struct follows the header at this distance (max alignment). */
#define OHDR ((sizeof(ostate) + 15u) & ~(size_t)15u)
#define OMAGIC 0x4f524d31u
#define ST(obj) ((ostate *)(void *)((char *)(obj)-OHDR))
#define OBJ(st) ((void *)((char *)(st) + OHDR))

/* An identity map: open addressing on byte-string keys. */
typedef struct idslot {
    uint64_t h; /* the key's hash: most probes end here, without touching the object */
    ostate *st; /* NULL: free; the map's own address: deleted */
} idslot;
typedef struct idmap {
    size_t cap, n;
    idslot *slots;
} idmap;

struct sqlalc_session {
    sqlalc_engine *eng;
    sqlalc_conn *conn;
    sqlalc_tx *tx;
    int autoflush;
    int flushing;
    int returning;      /* -1 unknown, 0 no, 1 the dialect compiles RETURNING */
    int returning_seen; /* a RETURNING insert gave its rows back on this engine's driver */
    size_t n, cap;
    ostate **objs;
    idmap map;
};

/* util */
int orm_err(int code, const char *fmt, ...);
char *orm_strdup(const char *s);
void *orm_zalloc(size_t n); /* zeroed; the error recorded when out of memory */
void orm_exprs_free(sqlalc_exprs l);
int orm_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* fields */
void ov_read(const struct sqlalc_orm_mapper *m, const void *obj, size_t f, ov *out); /* s borrowed */
int ov_write(const struct sqlalc_orm_mapper *m, void *obj, size_t f, const ov *v);   /* copies s */
int ov_equal(const ov *a, const ov *b);
sqlalc_value ov_value(const struct sqlalc_orm_mapper *m, size_t f, const ov *v);
int ov_from_value(const struct sqlalc_orm_mapper *m, size_t f, const sqlalc_value *v,
                  ov *out); /* s borrowed */
void snap_free(ov *snap, size_t n);
ov *snap_take(const struct sqlalc_orm_mapper *m, const void *obj); /* copies */
long field_index(const struct sqlalc_orm_mapper *m, const char *column);
int obj_key(const struct sqlalc_orm_mapper *m, const void *obj, const size_t *fi, size_t n, char **key,
            size_t *len);
int key_of_ovs(const struct sqlalc_orm_mapper *m, const ov *vals, size_t n, char **key, size_t *len);
/* The same into buf when it fits (*key == buf), else allocated. */
int key_of_ovs_buf(const struct sqlalc_orm_mapper *m, const ov *vals, size_t n, char *buf, size_t cap,
                   char **key, size_t *len);
int st_key_set(ostate *st, const char *key, size_t len);
int st_key_from_obj(ostate *st); /* the object's primary key, as its identity key */
void st_key_free(ostate *st);
void obj_free_fields(const struct sqlalc_orm_mapper *m, void *obj);

/* registry */
void registry_rank(struct sqlalc_orm_registry *reg);
orm_rel *rel_find(const struct sqlalc_orm_mapper *m, const char *name);
orm_rel *rel_back(orm_rel *r);

/* identity map */
ostate *idmap_get(idmap *im, const char *key, size_t len);
int idmap_put(idmap *im, ostate *st);
void idmap_del(idmap *im, ostate *st);
/* The slot of key (its object, or free for it), room made for one more;
 * NULL when out of memory.  idmap_fill puts st there. */
idslot *idmap_reserve(idmap *im, const char *key, size_t len, uint64_t *h);
void idmap_fill(idmap *im, idslot *sl, uint64_t h, ostate *st);

/* session */
int sess_begin(struct sqlalc_session *s);
int sess_track(struct sqlalc_session *s, ostate *st);
ostate *obj_alloc(const struct sqlalc_orm_mapper *m);
int sess_load_rows(struct sqlalc_session *s, const struct sqlalc_orm_mapper *m, sqlalc_result *res,
                   size_t nextra, const struct sqlalc_orm_mapper *em, const size_t *ef, sqlalc_orm_list *out,
                   ov **extra, size_t *nrows);
void state_destroy(ostate *st);
void rels_expire(ostate *st);
int rel_snap_take(ostate *st, orm_rel *r);
int list_add(sqlalc_orm_list *l, void *p);
int list_has(const sqlalc_orm_list *l, const void *p);
void list_del(sqlalc_orm_list *l, const void *p);

/* relationships */
int rel_load_many(struct sqlalc_session *s, orm_rel *r, ostate **parents, size_t n);
void **rel_ptr(orm_rel *r, void *obj);
sqlalc_orm_list *rel_list(orm_rel *r, void *obj);

/* flush */
int sess_flush(struct sqlalc_session *s);

#endif
